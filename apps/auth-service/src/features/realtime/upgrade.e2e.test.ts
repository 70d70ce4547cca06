import { signedInUser } from '../../testing/sessionFixtures';
import { startTestApp, type TestApp } from '../../testing/testApp';
import { openSocket, refusedUpgrade } from '../../testing/wsClient';
import { CLOSE_CODES } from './protocol';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ env: { WS_MAX_CONNECTIONS_PER_USER: '2', WS_HEARTBEAT_MS: '300', TRUSTED_ORIGINS: 'https://app.example.com' } });
});
afterAll(() => app.close());

/** A key of the cookie's user with these scopes (asserted created). */
async function createKey(cookie: string, scopes: string[]): Promise<string> {
  const res = await fetch(`${app.url}/api/auth/api-key/create`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: scopes.join(' '), scopes }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { key: string }).key;
}

describe('/ws upgrade through the access core', () => {
  it('opens for a session cookie and a bearer token, and counts open connections', async () => {
    const user = await signedInUser(app, 'ws-open');
    const byCookie = await openSocket(app.url, { cookie: user.cookie, origin: 'https://app.example.com' });
    expect(byCookie.messages[0]).toMatchObject({ type: 'welcome', data: { userId: user.id } });
    const byBearer = await openSocket(app.url, { authorization: `Bearer ${user.signedToken}` });
    expect(app.context.metrics.getMetrics().webSocket.activeConnections).toBe(2);
    byCookie.socket.close();
    byBearer.socket.close();
    await Promise.all([byCookie.closed, byBearer.closed]);
  });

  it('refuses without a credential (401), from a foreign Origin (403), a revoked session (401), an under-scoped key (403); no socket opens', async () => {
    const user = await signedInUser(app, 'ws-refused');
    expect(await refusedUpgrade(app.url, {})).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect(await refusedUpgrade(app.url, { cookie: user.cookie, origin: 'https://evil.example.com' })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_ORIGIN' } } });
    const narrow = await createKey(user.cookie, ['orders:read']);
    expect(await refusedUpgrade(app.url, { 'x-api-key': narrow })).toMatchObject({ status: 403 });
    expect(app.context.metrics.getMetrics().events['ws.upgrade_refused.scope']).toBe(1);
    await app.context.repositories.sessions.endAllForUser(user.id, { reason: 'revoked' });
    expect((await refusedUpgrade(app.url, { cookie: user.cookie })).status).toBe(401);
    expect(app.context.metrics.getMetrics().webSocket.activeConnections).toBe(0);
  });

  it('caps sockets per user (429) and closes a live socket when its session is revoked (4003)', async () => {
    const user = await signedInUser(app, 'ws-cap');
    const first = await openSocket(app.url, { cookie: user.cookie });
    const second = await openSocket(app.url, { cookie: user.cookie });
    expect((await refusedUpgrade(app.url, { cookie: user.cookie })).status).toBe(429);
    await app.context.repositories.sessions.endAllForUser(user.id, { reason: 'revoked' });
    expect(await first.closed).toBe(CLOSE_CODES.SESSION_REVOKED);
    expect(await second.closed).toBe(CLOSE_CODES.SESSION_REVOKED);
  });

  it('drops a client that stops answering pings', async () => {
    const user = await signedInUser(app, 'ws-silent');
    const silent = await openSocket(app.url, { cookie: user.cookie }, { autoPong: false });
    const talkative = await openSocket(app.url, { cookie: user.cookie });
    expect(await silent.closed).toBe(1006);
    expect(talkative.socket.readyState).toBe(talkative.socket.OPEN);
    talkative.socket.close();
    await talkative.closed;
  });

  it('closes sockets with 1012 when the server shuts down', async () => {
    const other = await startTestApp();
    const user = await signedInUser(other, 'ws-drain');
    const socket = await openSocket(other.url, { cookie: user.cookie });
    await other.close();
    expect(await socket.closed).toBe(CLOSE_CODES.SERVER_DRAINING);
  });
});
