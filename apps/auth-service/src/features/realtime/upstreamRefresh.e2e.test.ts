import { waitFor } from '@tools/test-harness';
import { startAppsWithIdp, signInThroughIdp, type OidcApps } from '../../testing/oidcApps';
import { openSocket, type TestSocket } from '../../testing/wsClient';
import { CLOSE_CODES } from './protocol';

// Access tokens live 40 s and are refreshed 36 s before expiry: the first refresh is due ~4 s
// after sign-in, the next ~4 s after that — the test counts between the two.
const TTL_S = 40;
let env: OidcApps;

beforeAll(async () => {
  env = await startAppsWithIdp({ instances: 2, accessTokenTtlS: TTL_S, env: { WS_REFRESH_SKEW_MS: '36000', WS_REFRESH_GRACE_MS: '1000', WS_MAX_CONNECTIONS_PER_USER: '200' } });
});
afterAll(() => env.close());

const sessionIdOf = (s: TestSocket) => String(s.messages[0].data.sessionId);
const closeAll = async (sockets: TestSocket[]) => {
  for (const s of sockets) s.socket.close();
  await Promise.all(sockets.map((s) => s.closed));
};

describe('upstream refresh for live sockets (harness IdP, two instances, one Postgres, one Redis)', () => {
  it('200 sockets of one session over both instances: every socket gets the refreshed token, the IdP sees one refresh', async () => {
    const [a, b] = env.apps;
    const browser = await signInThroughIdp(a, 'erin');
    const cookie = browser.cookieHeader(a.url);
    const before = (await env.idp.counts()).refresh_token;
    // The sign-in's token is due for refresh ~4 s from now; the refreshed one lives an hour, so
    // exactly one refresh is due in this test however long opening 200 sockets takes here.
    await env.idp.setAccessTokenTtl(3_600);
    try {
      const sockets = await Promise.all(Array.from({ length: 200 }, (_, i) => openSocket(i % 2 ? b.url : a.url, { cookie })));
      const latest = (s: TestSocket) => String([...s.messages].reverse().find((m) => m.type === 'token_refreshed' || m.type === 'welcome')?.data.accessTokenExpiresAt);
      // The sign-in's token: the earliest any socket was welcomed with.
      const signInExpiry = sockets.map((s) => String(s.messages[0].data.accessTokenExpiresAt)).sort()[0];
      // Every socket ends on one token: refreshed while open, or welcomed after the refresh.
      await waitFor(
        async () => {
          const expiries = new Set(sockets.map(latest));
          if (expiries.size !== 1 || expiries.has(signInExpiry)) throw new Error(`expiries on the sockets: ${[...expiries].join(', ')}`);
        },
        30_000,
        'every socket on the refreshed token',
      );
      const counts = await env.idp.counts();
      const refreshedOn = (app: { url: string }) => sockets.filter((s, i) => (i % 2 ? b : a) === app && s.messages.some((m) => m.type === 'token_refreshed')).length;
      const onA = refreshedOn(a);
      const onB = refreshedOn(b);
      await closeAll(sockets);
      expect(counts.refresh_token - before).toBe(1);
      expect(counts.refresh_token_errors).toBe(0);
      // Sockets on both instances were open when the token was refreshed: one shared refresh served both.
      expect(onA).toBeGreaterThan(0);
      expect(onB).toBeGreaterThan(0);
    } finally {
      await env.idp.setAccessTokenTtl(TTL_S);
    }
  });

  it('session.refresh refreshes through the refresher: one IdP refresh, the answer and every socket of the session on the new token', async () => {
    const [a, b] = env.apps;
    // Signed in with a token already inside the skew (due now), refreshed to one that lives an hour.
    await env.idp.setAccessTokenTtl(30);
    const browser = await signInThroughIdp(a, 'heidi');
    await env.idp.setAccessTokenTtl(3_600);
    try {
      const cookie = browser.cookieHeader(a.url);
      const before = (await env.idp.counts()).refresh_token;
      // Welcomed before any refresh (its instance's refresh starts once it is tracked).
      const s = await openSocket(a.url, { cookie });
      const signInExpiry = String(s.messages[0].data.accessTokenExpiresAt);
      const other = await openSocket(b.url, { cookie });
      const answer = await s.request('session.refresh');
      expect(answer).toMatchObject({ type: 'result', data: { accessTokenExpiresAt: expect.any(String) } });
      const refreshedTo = String(answer.data.accessTokenExpiresAt);
      expect(Date.parse(refreshedTo)).toBeGreaterThan(Date.parse(signInExpiry));
      // The refresher's timer may have started the same refresh: either way the lock makes it one.
      expect((await env.idp.counts()).refresh_token - before).toBe(1);
      // B's socket is on the same token: welcomed with it, or told by B's refresher (which shared the refresh).
      const latest = (t: TestSocket) => String([...t.messages].reverse().find((m) => m.type === 'token_refreshed' || m.type === 'welcome')?.data.accessTokenExpiresAt);
      await waitFor(async () => expect(latest(other)).toBe(refreshedTo), 10_000, 'the socket on B on the refreshed token');
      expect(s.messages.some((m) => m.type === 'token_refreshed' && m.data.accessTokenExpiresAt === refreshedTo)).toBe(true);
      expect((await s.request('session.status')).data).toMatchObject({ accessTokenExpiresAt: refreshedTo });
      await closeAll([s, other]);
    } finally {
      await env.idp.setAccessTokenTtl(TTL_S);
    }
  });

  it('invalid_grant ends the session: session_ended, close 4005 on both instances, a UserEvent', async () => {
    const [a, b] = env.apps;
    const browser = await signInThroughIdp(a, 'frank');
    const cookie = browser.cookieHeader(a.url);
    const sockets = [await openSocket(a.url, { cookie }), await openSocket(b.url, { cookie })];
    const sessionId = sessionIdOf(sockets[0]);
    const row = await a.context.repositories.sessions.findById(sessionId);
    expect(await env.idp.revokeSession(row!.keycloakSessionId!)).toBeGreaterThan(0);
    expect(await Promise.all(sockets.map((s) => s.closed))).toEqual([CLOSE_CODES.REFRESH_FAILED, CLOSE_CODES.REFRESH_FAILED]);
    expect(sockets.some((s) => s.messages.some((m) => m.type === 'session_ended'))).toBe(true);
    const ended = await a.context.repositories.sessions.findById(sessionId);
    expect(ended).toMatchObject({ isActive: false, endReason: 'upstream_invalid_grant' });
    // The event is written right after the session ended (which closed the sockets).
    const events = () => a.context.repositories.events.findMany({ where: { sessionId, eventType: 'upstream_refresh_failed' } });
    await waitFor(async () => expect(await events()).not.toHaveLength(0), 10_000, 'the upstream_refresh_failed event');
    expect(await events()).toHaveLength(1);
  });

  it('back-channel logout at the IdP (sent to instance A) closes the sockets on instance B with 4003', async () => {
    const [a, b] = env.apps;
    const browser = await signInThroughIdp(a, 'grace');
    const cookie = browser.cookieHeader(a.url);
    const onB = [await openSocket(b.url, { cookie }), await openSocket(b.url, { cookie })];
    const row = await a.context.repositories.sessions.findById(sessionIdOf(onB[0]));
    const started = performance.now();
    await env.idp.backchannelLogout(row!.keycloakSessionId!);
    expect(await Promise.all(onB.map((s) => s.closed))).toEqual([CLOSE_CODES.SESSION_REVOKED, CLOSE_CODES.SESSION_REVOKED]);
    process.stdout.write(`[ws] back-channel logout → sockets on B closed in ${Math.round(performance.now() - started)} ms\n`);
    const events = () => a.context.repositories.events.findMany({ where: { sessionId: row!.id, eventType: 'backchannel_logout' } });
    await waitFor(async () => expect(await events()).not.toHaveLength(0), 10_000, 'the backchannel_logout event');
    expect(await events()).toHaveLength(1);
  });
});
