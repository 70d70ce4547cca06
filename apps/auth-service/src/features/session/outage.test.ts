import type { LocalPostgres } from '@tools/test-harness';
import { startAppOnDedicatedPostgres, type TestApp } from '../../testing/testApp';
import { signedInUser } from '../../testing/sessionFixtures';

describe('get-session fast path during a database outage', () => {
  let setup: Awaited<ReturnType<typeof startAppOnDedicatedPostgres>>;
  let pg: LocalPostgres;
  let t: TestApp;
  beforeAll(async () => {
    setup = await startAppOnDedicatedPostgres();
    ({ pg, app: t } = setup);
  });
  afterAll(async () => {
    await setup?.close();
  });

  it('answers 503 + Retry-After (never null, never 401) for a lookup that needs Postgres; cached sessions keep working', async () => {
    const user = await signedInUser(t, 'outage');
    const cached = await fetch(`${t.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${user.token}` } });
    expect(cached.status).toBe(200);

    await pg.stop();
    const handler = jest.spyOn(t.context.auth, 'handler');
    try {
      const res = await fetch(`${t.url}/api/auth/get-session`, { headers: { authorization: 'Bearer NotCachedNotCachedNotCached0123' }, signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');
      // The session read earlier is served from the cache without Postgres.
      const again = await fetch(`${t.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${user.token}` }, signal: AbortSignal.timeout(10_000) });
      expect(again.status).toBe(200);
      expect(((await again.json()) as { user: { email: string } }).user.email).toBe(user.email);
      expect(handler).not.toHaveBeenCalled();
    } finally {
      handler.mockRestore();
      await pg.start();
    }
  });
});
