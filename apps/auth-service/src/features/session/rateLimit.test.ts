import { IP_RULES } from '../../auth/rateLimit/authRateLimit';
import { startTestApp, type TestApp } from '../../testing/testApp';
import { answerOf, signedInUser } from '../../testing/sessionFixtures';

describe("get-session fast path under Better-Auth's rate limiter (AUTH_RATE_LIMIT=on)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: 'on' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('fast and delegated requests share one budget per client IP, and both answer the same 429 past it', async () => {
    const user = await signedInUser(t, 'limited');
    const headers = { authorization: `Bearer ${user.token}` };
    const fast = () => fetch(`${t.url}/api/auth/get-session`, { headers });
    // A query parameter sends the request to Better-Auth, which counts it itself.
    const delegated = () => fetch(`${t.url}/api/auth/get-session?disableRefresh=true`, { headers });
    const handler = jest.spyOn(t.context.auth, 'handler');
    try {
      const { max } = IP_RULES.default;
      for (let i = 0; i < max; i++) {
        const res = await (i % 2 === 0 ? fast() : delegated());
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      expect(handler).toHaveBeenCalledTimes(max / 2);
      const refusedFast = await answerOf(await fast());
      const refusedDelegated = await answerOf(await delegated());
      expect(handler).toHaveBeenCalledTimes(max / 2 + 1);
      expect(refusedFast.status).toBe(429);
      // Retry-After counts down between the two requests; everything else is the same answer.
      expect({ ...refusedFast, retryAfter: null }).toEqual({ ...refusedDelegated, retryAfter: null });
      expect(JSON.parse(refusedFast.body)).toEqual({ error: { code: 'RATE_LIMITED', message: 'Too many requests. Please try again later.' } });
      expect(Number(refusedFast.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refusedDelegated.retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      handler.mockRestore();
    }
  });
});
