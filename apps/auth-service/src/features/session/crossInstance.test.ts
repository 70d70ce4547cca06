import { startTwoInstances, type TestApp } from '../../testing/testApp';
import { askBoth, signedInUser } from '../../testing/sessionFixtures';

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const started = Date.now();
  let value = await read();
  while (!done(value) && Date.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 25));
    value = await read();
  }
  return value;
}

describe('get-session fast path across instances (shared Postgres, Redis cache bus)', () => {
  let pair: Awaited<ReturnType<typeof startTwoInstances>>;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    pair = await startTwoInstances('session_bus');
    ({ a, b } = pair);
  });
  afterAll(async () => {
    await pair?.close();
  });

  it('a ban through UserRepository on instance A ends the session on instance B on the next request', async () => {
    const user = await signedInUser(a, 'banned-on-a');
    const headers = { authorization: `Bearer ${user.token}` };
    // B serves (and caches in its L1) the session and the user.
    for (let i = 0; i < 3; i++) {
      const warm = await askBoth(b, headers);
      expect(warm.deferred).toBe(false);
      expect(JSON.parse(warm.route.body)).toMatchObject({ user: { id: user.id, status: 'ACTIVE' } });
    }
    await a.context.repositories.users.batchUpdateStatus([user.id], 'BANNED', 'admin', 'abuse');
    // The bus delivers A's invalidation to B asynchronously; the first answer after it is null.
    const after = await eventually(
      () => askBoth(b, headers),
      (answer) => answer.route.body === 'null',
    );
    expect(after.deferred).toBe(false);
    expect(after.route.body).toBe('null');
    expect(after.route).toEqual(after.betterAuth);
    // And stays null.
    expect((await askBoth(b, headers)).route.body).toBe('null');
  });

  it('a session signed in on A is served by B; sign-out on A ends it on B', async () => {
    const user = await signedInUser(a, 'signout-on-a');
    const onB = await askBoth(b, { cookie: user.cookie });
    expect(onB.deferred).toBe(false);
    expect(JSON.parse(onB.route.body)).toMatchObject({ session: { token: user.token } });
    const signOut = await fetch(`${a.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie: user.cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(signOut.status).toBe(200);
    const after = await eventually(
      () => askBoth(b, { cookie: user.cookie }),
      (answer) => answer.route.body === 'null',
    );
    expect(after.route.body).toBe('null');
    expect(after.route).toEqual(after.betterAuth);
  });
});
