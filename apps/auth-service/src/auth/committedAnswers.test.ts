import { waitFor, type LocalPostgres } from '@tools/test-harness';
import { signedInUser } from '../testing/sessionFixtures';
import { startAppOnDedicatedPostgres, type TestApp } from '../testing/testApp';

// Fault injection, not a fake: the real repositories run on a Postgres the test stops at one
// chosen point of a sign-out (right after, or right before, the session row is ended).
describe('an outage after a committed write: the committed answer stands', () => {
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

  const ready = () =>
    waitFor(async () => {
      if ((await fetch(`${t.url}/health/ready`)).status !== 200) throw new Error('not ready');
    }, 30_000, 'readiness after restart');

  /** Stops Postgres around the session's `end` (sign-out's delete): after it committed, or before it runs. */
  function stopPostgresAtSessionEnd(when: 'after' | 'before'): { restore(): void; stopped(): boolean } {
    const sessions = t.context.repositories.sessions;
    const end = sessions.end.bind(sessions);
    let stopped = false;
    const spy = jest.spyOn(sessions, 'end').mockImplementation(async (...args) => {
      if (when === 'before') {
        stopped = true;
        await pg.stop();
        return end(...args);
      }
      const row = await end(...args);
      stopped = true;
      await pg.stop();
      return row;
    });
    return { restore: () => spy.mockRestore(), stopped: () => stopped };
  }

  const signOut = (cookie: string) => fetch(`${t.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie, origin: t.url }, signal: AbortSignal.timeout(20_000) });
  /** A sign-out with Postgres stopped around the session's end; the fault is removed whatever happens. */
  async function signOutWithPostgresStopped(when: 'after' | 'before', cookie: string): Promise<{ res: Response; stopped: boolean }> {
    const fault = stopPostgresAtSessionEnd(when);
    try {
      return { res: await signOut(cookie), stopped: fault.stopped() };
    } finally {
      fault.restore();
    }
  }
  const clearsSessionCookie = (res: Response) => res.headers.getSetCookie().some((c) => c.includes('session_token=;') && /max-age=0/i.test(c));

  it('a sign-out whose session ended answers 200 with the cookie-clearing Set-Cookie although the lookup after it failed', async () => {
    const user = await signedInUser(t, 'committed-sign-out');
    const session = await t.context.repositories.sessions.findActiveByToken(user.token);
    expect(session).not.toBeNull();
    const { res, stopped } = await signOutWithPostgresStopped('after', user.cookie);
    expect(stopped).toBe(true);
    expect(res.status).toBe(200);
    expect(clearsSessionCookie(res)).toBe(true);
    expect(await res.json()).toMatchObject({ success: true });
    await pg.start();
    await ready();
    expect(await t.context.repositories.sessions.findById(session!.id)).toMatchObject({ isActive: false });
  }, 60_000);

  it('a sign-out whose delete failed is still the outage in disguise: 503 + Retry-After, no Set-Cookie, the session lives', async () => {
    const user = await signedInUser(t, 'disguised-sign-out');
    const session = await t.context.repositories.sessions.findActiveByToken(user.token);
    const { res, stopped } = await signOutWithPostgresStopped('before', user.cookie);
    expect(stopped).toBe(true);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.headers.getSetCookie()).toEqual([]);
    await pg.start();
    await ready();
    expect(await t.context.repositories.sessions.findById(session!.id)).toMatchObject({ isActive: true });
    // The client retries: now the sign-out commits and answers as usual.
    const retried = await signOut(user.cookie);
    expect(retried.status).toBe(200);
    expect(clearsSessionCookie(retried)).toBe(true);
  }, 60_000);
});
