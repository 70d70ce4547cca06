import fc from 'fast-check';
import { startTestApp, type TestApp } from '../testing/testApp';

const json = { 'content-type': 'application/json' };

describe('bad input is never a 5xx', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['arrays nested 20,000 deep', '['.repeat(20_000) + ']'.repeat(20_000)],
    // 10,000 objects deep is what fits in the 64 KiB body limit.
    ['objects nested 10,000 deep', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
  ])('answers a sign-in body of %s with 400 JSON_TOO_DEEP', async (_what, body) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: json, payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'JSON_TOO_DEEP' } });
  });

  it('keeps a body 64 deep (the limit) to the endpoint, which answers it as bad input', async () => {
    const body = '{"email":'.repeat(64) + '1' + '}'.repeat(64);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: json, payload: body });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });

  const endpoints = ['/api/auth/sign-in/email', '/api/auth/sign-up/email', '/api/auth/api-key/verify', '/api/auth/sign-out', '/api/admin/users'];
  // Structured junk (any JSON value, fields of the right names with any values) and raw text.
  const field = fc.constantFrom('email', 'password', 'name', 'key', 'image', 'callbackURL', 'rememberMe', '__proto__', 'constructor');
  const bodies = fc.oneof(
    fc.json({ depthSize: 'medium' }),
    fc.dictionary(field, fc.jsonValue({ depthSize: 'small' })).map((value) => JSON.stringify(value)),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );

  it('answers generated bodies on several endpoints without a 5xx', async () => {
    const before = await t.context.repositories.users.count();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), bodies, async (url, payload) => {
        const res = await t.app.inject({ method: 'POST', url, headers: json, payload });
        // On a failure, say what the server answered and logged (the answer alone hides the cause).
        if (res.statusCode >= 500) throw new Error(`${url} answered ${res.statusCode} ${res.body.slice(0, 300)}; last error logs: ${t.logs.filter((l) => /"level":(50|60)/.test(l)).slice(-3).join(' | ').slice(0, 1_500)}`);
      }),
      { numRuns: 300 },
    );
    // Generated sign-ups are junk: a valid email, password and name together is vanishingly unlikely.
    expect(await t.context.repositories.users.count()).toBe(before);
  }, 60_000);
});
