import { startTwoInstances, type TestApp } from '../testing/testApp';

const json = { 'content-type': 'application/json' };

describe('two instances on one Postgres and one Redis', () => {
  let pair: Awaited<ReturnType<typeof startTwoInstances>>;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    pair = await startTwoInstances('two');
    ({ a, b } = pair);
  });
  afterAll(async () => {
    await pair?.close();
  });

  it('a ban written through instance A ends the session on instance B at its next request', async () => {
    const email = `two-${Date.now()}@example.com`;
    const password = 'two instances password';
    await fetch(`${a.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password, name: 'Two' }) });
    const signIn = await fetch(`${a.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];

    // B reads (and caches) the session and the user.
    const listed = await fetch(`${b.url}/api/auth/list-sessions`, { headers: { cookie } });
    expect(listed.status).toBe(200);
    expect((await listed.json()) as unknown[]).toHaveLength(1);

    const user = await a.context.repositories.users.findByEmail(email);
    await a.context.repositories.users.batchUpdateStatus([user!.id], 'BANNED', 'admin', 'abuse');

    const started = performance.now();
    let status = 200;
    // The invalidation crosses one pub/sub round trip; poll briefly rather than assume a delay.
    while (performance.now() - started < 5_000) {
      status = (await fetch(`${b.url}/api/auth/list-sessions`, { headers: { cookie } })).status;
      if (status === 401) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(status).toBe(401);
    console.log(`ban on A seen by B after ${Math.round(performance.now() - started)} ms`);
    const viaB = await fetch(`${b.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
    expect(viaB.status).toBe(401);
  });
});
