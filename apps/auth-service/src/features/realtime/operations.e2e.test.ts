import { waitFor } from '@tools/test-harness';
import { signedInUser, type SignedInUser } from '../../testing/sessionFixtures';
import { startTestApp, type TestApp } from '../../testing/testApp';
import { closedWithin, openSocket, type TestSocket } from '../../testing/wsClient';
import { OperationError } from './operations';
import { CLOSE_CODES, OPERATION_ERRORS, WS_CONNECT_PERMISSION } from './protocol';

// Two operations at once per socket, six malformed requests before 1008, requests up to 256 bytes.
let app: TestApp;
let roleId: string;
const json = { 'content-type': 'application/json' };

/** `test.hold` waits for `release()`; `started` counts the runs that began. */
let release: () => void = () => undefined;
const hold = { started: 0, gate: new Promise<void>((resolve) => (release = resolve)) };

beforeAll(async () => {
  app = await startTestApp({ env: { WS_MAX_OPERATIONS_PER_CONNECTION: '2', WS_MAX_BAD_FRAMES: '6', WS_MAX_REQUEST_BYTES: '256' } });
  roleId = (await app.context.repositories.roles.create({ name: `realtime-ops-${Date.now()}`, permissions: [WS_CONNECT_PERMISSION, 'orders:read', 'orders:write'] })).id;
  app.context.realtime.operations
    .define('test.hold', {
      run: async () => {
        hold.started++;
        await hold.gate;
        return { held: true };
      },
    })
    .define('orders.place', { permission: 'orders:write', run: ({ data, principal }) => ({ placed: data, by: principal.user.id }) })
    .define('orders.fail', {
      run: () => {
        throw new OperationError('OUT_OF_STOCK', 'Nothing left.');
      },
    });
});
afterAll(() => app.close());

const closeAll = async (sockets: TestSocket[]) => {
  for (const s of sockets) s.socket.close();
  await Promise.all(sockets.map((s) => s.closed));
};

async function realtimeUser(label: string): Promise<SignedInUser> {
  const user = await signedInUser(app, label);
  await app.context.repositories.users.updateRole(user.id, roleId, 'test');
  return user;
}

async function createKey(user: SignedInUser, scopes: string[]): Promise<string> {
  const res = await fetch(`${app.url}/api/auth/api-key/create`, { method: 'POST', headers: { ...json, cookie: user.cookie }, body: JSON.stringify({ name: 'ops', scopes }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { key: string }).key;
}

describe('/ws operations: { id, op, data? } → result / error', () => {
  it('answers ping and session.status (user, session id, expiries) with the request id', async () => {
    const user = await signedInUser(app, 'ws-ops-basic');
    const s = await openSocket(app.url, { cookie: user.cookie });
    expect(await s.request('ping', undefined, 7)).toEqual({ type: 'result', id: 7, data: { pong: true } });
    const status = await s.request('session.status', undefined, 'st');
    const session = await app.context.repositories.sessions.findById(String(s.messages[0].data.sessionId));
    expect(status).toEqual({
      type: 'result',
      id: 'st',
      data: { connectionId: s.messages[0].data.connectionId, userId: user.id, sessionId: session!.id, apiKeyId: null, expiresAt: session!.expiresAt.toISOString(), accessTokenExpiresAt: null },
    });
    // No IdP here: nothing upstream to refresh.
    expect((await s.request('session.refresh')).error?.code).toBe(OPERATION_ERRORS.NO_UPSTREAM_TOKENS);
    expect(await s.request('orders.fail')).toMatchObject({ type: 'error', error: { code: 'OUT_OF_STOCK', message: 'Nothing left.' } });
    await closeAll([s]);
  });

  it('answers malformed requests with typed errors and keeps the socket open', async () => {
    const user = await signedInUser(app, 'ws-ops-bad');
    const s = await openSocket(app.url, { cookie: user.cookie });
    /** The code of the next error answer after sending `frame`. */
    const errorAfter = async (frame: string | Buffer) => {
      const before = s.messages.length;
      s.socket.send(frame);
      await waitFor(async () => expect(s.messages.length).toBeGreaterThan(before), 10_000, 'an answer');
      return s.messages[before];
    };
    expect(await errorAfter('not json')).toMatchObject({ type: 'error', id: null, error: { code: OPERATION_ERRORS.BAD_JSON } });
    expect(await errorAfter(JSON.stringify({ id: 'no-op' }))).toMatchObject({ id: 'no-op', error: { code: OPERATION_ERRORS.INVALID_REQUEST } });
    expect(await errorAfter(JSON.stringify({ op: 'ping' }))).toMatchObject({ id: null, error: { code: OPERATION_ERRORS.INVALID_REQUEST } });
    expect(await s.request('does.notExist')).toMatchObject({ type: 'error', error: { code: OPERATION_ERRORS.UNKNOWN_OPERATION } });
    // Too large is not read at all (no id).
    expect(await errorAfter(JSON.stringify({ id: 'big', op: 'ping', data: 'x'.repeat(300) }))).toMatchObject({ id: null, error: { code: OPERATION_ERRORS.REQUEST_TOO_LARGE } });
    // Five malformed requests (the bound is six): the socket still answers.
    expect(await s.request('ping')).toMatchObject({ type: 'result', data: { pong: true } });
    expect(app.context.metrics.getMetrics().events['ws.operation.bad_frame']).toBeGreaterThanOrEqual(5);
    await closeAll([s]);
  });

  it('closes a socket that keeps sending malformed requests with 1008, after answering each', async () => {
    const user = await signedInUser(app, 'ws-ops-flood');
    const s = await openSocket(app.url, { cookie: user.cookie });
    for (let i = 0; i < 10; i++) s.socket.send('{');
    expect(await closedWithin(s, 'malformed flood')).toBe(CLOSE_CODES.POLICY_VIOLATION);
    expect(s.messages.filter((m) => m.type === 'error' && m.error?.code === OPERATION_ERRORS.BAD_JSON)).toHaveLength(6);
  });

  it('refuses an operation past the per-socket cap with TOO_MANY_OPERATIONS; the running ones finish, the socket stays', async () => {
    const user = await signedInUser(app, 'ws-ops-cap');
    const s = await openSocket(app.url, { cookie: user.cookie });
    const first = s.request('test.hold');
    const second = s.request('test.hold');
    await waitFor(async () => expect(hold.started).toBe(2), 10_000, 'two held operations running');
    expect(await s.request('test.hold')).toMatchObject({ type: 'error', error: { code: OPERATION_ERRORS.TOO_MANY_OPERATIONS } });
    expect(await s.request('ping')).toMatchObject({ type: 'error', error: { code: OPERATION_ERRORS.TOO_MANY_OPERATIONS } });
    release();
    expect(await Promise.all([first, second])).toMatchObject([{ type: 'result', data: { held: true } }, { type: 'result', data: { held: true } }]);
    expect(await s.request('ping')).toMatchObject({ type: 'result' });
    expect(app.context.metrics.getMetrics().events['ws.operation.refused_concurrency']).toBe(2);
    await closeAll([s]);
  });

  it("an app-defined operation needs its permission: a key without it is refused (INSUFFICIENT_SCOPE), a user without it too (PERMISSION_DENIED)", async () => {
    const user = await realtimeUser('ws-ops-perm');
    const narrow = await openSocket(app.url, { 'x-api-key': await createKey(user, [WS_CONNECT_PERMISSION, 'orders:read']) });
    const wide = await openSocket(app.url, { 'x-api-key': await createKey(user, [WS_CONNECT_PERMISSION, 'orders:write']) });
    expect(await narrow.request('orders.place', { sku: 'a' })).toMatchObject({ type: 'error', error: { code: 'INSUFFICIENT_SCOPE' } });
    expect(await wide.request('orders.place', { sku: 'a' })).toEqual({ type: 'result', id: expect.any(String), data: { placed: { sku: 'a' }, by: user.id } });
    expect(await wide.request('session.status')).toMatchObject({ type: 'result', data: { userId: user.id, sessionId: null, apiKeyId: expect.any(String) } });
    const plain = await signedInUser(app, 'ws-ops-noperm');
    const bySession = await openSocket(app.url, { cookie: plain.cookie });
    expect(await bySession.request('orders.place', {})).toMatchObject({ type: 'error', error: { code: 'PERMISSION_DENIED' } });
    expect((await wide.request('session.refresh')).error?.code).toBe(OPERATION_ERRORS.NO_SESSION);
    await closeAll([narrow, wide, bySession]);
  });

  it('refuses operations on a socket whose credential was revoked (ACCESS_ENDED)', async () => {
    const user = await signedInUser(app, 'ws-ops-revoked');
    const s = await openSocket(app.url, { cookie: user.cookie });
    const [connection] = app.context.realtime.service.connectionsOfSession(String(s.messages[0].data.sessionId));
    expect(await app.context.realtime.service.answer(connection, { id: 1, op: 'ping' })).toBe(JSON.stringify({ type: 'result', id: 1, data: { pong: true } }));
    await app.context.repositories.sessions.endAllForUser(user.id, { reason: 'revoked' });
    expect(await closedWithin(s, 'revoked session')).toBe(CLOSE_CODES.SESSION_REVOKED);
    const late = JSON.parse(await app.context.realtime.service.answer(connection, { id: 2, op: 'ping' }));
    expect(late).toMatchObject({ type: 'error', id: 2, error: { code: OPERATION_ERRORS.ACCESS_ENDED } });
  });
});
