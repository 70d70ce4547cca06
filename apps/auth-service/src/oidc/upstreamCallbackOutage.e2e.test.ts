import { waitFor } from '@tools/test-harness';
import type { UserSession } from '@libs/database/models';
import { callbackThroughIdp, startAppsWithIdp, type OidcApps } from '../testing/oidcApps';
import type { TestApp } from '../testing/testApp';
import { TokenCipher } from './tokenCipher';

// The IdP callback writes its session with the upstream tokens and `sid` in one INSERT. Fault
// injection, not a fake: the real repositories run on a Postgres of the test's own, which it stops
// right after that INSERT committed.
let env: OidcApps;
let app: TestApp;

beforeAll(async () => {
  env = await startAppsWithIdp({ dedicatedPostgres: true });
  [app] = env.apps;
});
afterAll(() => env?.close());

const UPSTREAM_FIELDS = ['accessToken', 'refreshToken', 'idToken', 'accessTokenExpiresAt', 'refreshTokenExpiresAt', 'keycloakSessionId'];

/** Records each session INSERT's data; with `stopPostgres`, stops Postgres once the INSERT committed. */
function watchSessionInserts(stopPostgres: boolean): { inserted: Record<string, unknown>[]; stopped(): boolean; restore(): void } {
  const sessions = app.context.repositories.sessions;
  const create = sessions.create.bind(sessions);
  const inserted: Record<string, unknown>[] = [];
  let stopped = false;
  const spy = jest.spyOn(sessions, 'create').mockImplementation(async (data) => {
    const row = await create(data);
    inserted.push(data as Record<string, unknown>);
    if (stopPostgres) {
      await env.pg!.stop();
      stopped = true;
    }
    return row;
  });
  return { inserted, stopped: () => stopped, restore: () => spy.mockRestore() };
}

/** A sign-in of `account` through the IdP, its session INSERT watched (and Postgres stopped after it); the watch is removed whatever happens. */
async function callbackWatched(account: string, stopPostgres: boolean) {
  const watch = watchSessionInserts(stopPostgres);
  try {
    return { ...(await callbackThroughIdp(app, account)), inserted: watch.inserted, stopped: watch.stopped() };
  } finally {
    watch.restore();
  }
}

const idpSid = async (account: string) => (await env.idp.sessions()).filter((s) => s.accountId === account).map((s) => s.sid);

/** The stored row holds the IdP's sid and the three tokens encrypted with our key (`k1`). */
function expectUpstreamCopy(row: UserSession | undefined, sid: string): void {
  expect(row?.keycloakSessionId).toBe(sid);
  for (const stored of [row?.accessToken, row?.refreshToken, row?.idToken]) expect(TokenCipher.keyIdOf(stored ?? '')).toBe('k1');
  const idToken = app.context.upstream!.cipher.decrypt(row!.idToken!);
  expect(JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString())).toMatchObject({ sid });
  expect(row!.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now());
}

const getSession = (cookie: string) => fetch(`${app.url}/api/auth/get-session`, { headers: { cookie } });

describe('the upstream callback writes tokens and sid with its session', () => {
  it('the session INSERT carries the encrypted tokens and the sid; no later write, nothing of them in get-session', async () => {
    const { browser, callback, landed, inserted } = await callbackWatched('ivan', false);
    expect(callback.status).toBe(302);
    expect(new URL(landed).pathname).toBe('/signed-in');
    const [sid] = await idpSid('ivan');
    expect(inserted).toHaveLength(1);
    expect(inserted[0]).toMatchObject({ keycloakSessionId: sid, accessToken: expect.stringMatching(/^v1\.k1\./), refreshToken: expect.stringMatching(/^v1\.k1\./), idToken: expect.stringMatching(/^v1\.k1\./) });

    const [row] = await app.context.repositories.sessions.findActiveByKeycloakSessionId(sid);
    expectUpstreamCopy(row, sid);
    // Only the CREATED entry: the tokens were not written by a second statement.
    expect((await app.context.repositories.sessions.getLogs(row.id)).map((l) => l.action)).toEqual(['CREATED']);
    const answer = (await (await getSession(browser.cookieHeader(app.url))).json()) as { session: Record<string, unknown> };
    expect(answer.session.id).toBe(row.id);
    for (const field of UPSTREAM_FIELDS) expect(answer.session).not.toHaveProperty(field);
  });

  it('Postgres down right after the session INSERT committed: the callback still redirects with the session cookie, and the row holds tokens and sid', async () => {
    let result: Awaited<ReturnType<typeof callbackWatched>>;
    try {
      result = await callbackWatched('judy', true);
    } finally {
      // Whatever the callback answered, the database comes back for the checks and the next file.
      await env.pg!.start();
    }
    const { browser, callback, landed, stopped } = result;
    expect(stopped).toBe(true);
    expect(callback.status).toBe(302);
    expect(new URL(landed).pathname).toBe('/signed-in');
    expect(callback.headers.getSetCookie().some((c) => /session_token=[^;]+/.test(c))).toBe(true);

    await waitFor(async () => {
      if ((await fetch(`${app.url}/health/ready`)).status !== 200) throw new Error('not ready');
    }, 30_000, 'readiness after the restart');
    const [sid] = await idpSid('judy');
    const [row] = await app.context.repositories.sessions.findActiveByKeycloakSessionId(sid);
    expectUpstreamCopy(row, sid);
    const cookie = browser.cookieHeader(app.url);
    expect(((await (await getSession(cookie)).json()) as { session: { id: string } }).session.id).toBe(row.id);
    // Back-channel logout finds the session by its sid and ends it.
    await env.idp.backchannelLogout(sid);
    expect(await (await getSession(cookie)).json()).toBeNull();
  }, 60_000);
});
