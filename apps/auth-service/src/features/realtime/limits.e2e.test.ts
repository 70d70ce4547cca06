import { setImmediate as turn } from 'node:timers/promises';
import type { Socket } from 'node:net';
import { signedInUser } from '../../testing/sessionFixtures';
import { startTestApp, type TestApp } from '../../testing/testApp';
import { openSocket, refusedUpgrade, type TestSocket } from '../../testing/wsClient';
import { CLOSE_CODES, envelope } from './protocol';

// Global cap 3 sockets per instance; a send buffer bound of 4 KiB.
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ env: { WS_MAX_CONNECTIONS: '3', WS_MAX_BUFFERED_BYTES: '4096' } });
});
afterAll(() => app.close());

const closeAll = async (sockets: TestSocket[]) => {
  for (const s of sockets) s.socket.close();
  await Promise.all(sockets.map((s) => s.closed));
};

describe('/ws limits: global cap and back-pressure', () => {
  it('refuses the upgrade past the global cap with 503 WS_CAPACITY (any user), and opens again once a socket closed', async () => {
    const users = await Promise.all(['ws-g1', 'ws-g2', 'ws-g3', 'ws-g4'].map((label) => signedInUser(app, label)));
    const open = await Promise.all(users.slice(0, 3).map((u) => openSocket(app.url, { cookie: u.cookie })));
    expect(await refusedUpgrade(app.url, { cookie: users[3].cookie })).toMatchObject({ status: 503, body: { error: { code: 'WS_CAPACITY' } } });
    expect(app.context.metrics.getMetrics().events['ws.upgrade_refused.cap']).toBe(1);
    open[0].socket.close();
    await open[0].closed;
    const late = await openSocket(app.url, { cookie: users[3].cookie });
    expect(late.messages[0]).toMatchObject({ type: 'welcome', data: { userId: users[3].id } });
    await closeAll([...open.slice(1), late]);
  });

  it('closes a client that stops reading with 1013 once its send buffer passes the bound', async () => {
    const user = await signedInUser(app, 'ws-slow');
    const slow = await openSocket(app.url, { cookie: user.cookie });
    const sessionId = String(slow.messages[0].data.sessionId);
    const raw = (slow.socket as unknown as { _socket: Socket })._socket;
    raw.pause();
    const service = app.context.realtime.service;
    // A 1 KiB frame (a filler in an envelope the client parses): well under the 4 KiB bound.
    const frame = envelope('token_refreshed', { accessTokenExpiresAt: 'x'.repeat(1024) });
    const [connection] = service.connectionsOfSession(sessionId);
    // Loopback buffers absorb a few MB first; bounded so a broken bound fails instead of looping.
    let sent = 0;
    let bufferedBeforeRefusal = 0;
    for (;;) {
      bufferedBeforeRefusal = connection.socket.bufferedAmount;
      if (service.broadcastToSession(sessionId, frame) !== 1) break;
      if (++sent > 200_000) throw new Error('the send buffer never passed the bound');
      await turn();
    }
    expect(sent).toBeGreaterThan(0);
    expect(bufferedBeforeRefusal + Buffer.byteLength(frame)).toBeGreaterThan(4096);
    expect(app.context.metrics.getMetrics().events['ws.backpressure.dropped']).toBe(1);
    raw.resume();
    expect(await slow.closed).toBe(CLOSE_CODES.TRY_AGAIN_LATER);
    expect(slow.messages.length).toBeGreaterThan(1);
  });
});
