import { signedInUser, type SignedInUser } from '../../testing/sessionFixtures';
import { startTwoInstances, type TestApp } from '../../testing/testApp';
import { closedWithin, openSocket, type TestSocket } from '../../testing/wsClient';
import { CLOSE_CODES, WS_CONNECT_PERMISSION } from './protocol';

// Two instances on one database and the harness Redis: a write on one closes sockets on both.
let setup: Awaited<ReturnType<typeof startTwoInstances>>;
let a: TestApp;
let b: TestApp;
let roleId: string;

const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  setup = await startTwoInstances('ws_revocation');
  ({ a, b } = setup);
  roleId = (await a.context.repositories.roles.create({ name: `realtime-${Date.now()}`, permissions: [WS_CONNECT_PERMISSION, 'orders:read'] })).id;
});
afterAll(() => setup?.close());

/** A signed-in user whose role grants `realtime:connect`. */
async function realtimeUser(label: string): Promise<SignedInUser> {
  const user = await signedInUser(a, label);
  await a.context.repositories.users.updateRole(user.id, roleId, 'test');
  return user;
}

async function createKey(user: SignedInUser, scopes: string[]): Promise<{ key: string; id: string }> {
  const res = await fetch(`${a.url}/api/auth/api-key/create`, { method: 'POST', headers: { ...json, cookie: user.cookie }, body: JSON.stringify({ name: 'ws', scopes }) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { key: string; apiKey: { id: string } };
  return { key: body.key, id: body.apiKey.id };
}

/** A key socket on each instance. */
const keySockets = (key: string) => Promise.all([openSocket(a.url, { 'x-api-key': key }), openSocket(b.url, { 'x-api-key': key })]);
const codes = (sockets: TestSocket[], what: string) => Promise.all(sockets.map((s) => closedWithin(s, what)));

describe('/ws: every socket follows its credential, on every instance', () => {
  it('revoking a key closes its sockets on both instances with 4006 (session_ended key_revoked)', async () => {
    const user = await realtimeUser('ws-key-revoke');
    const { key, id } = await createKey(user, [WS_CONNECT_PERMISSION]);
    const sockets = await keySockets(key);
    const res = await fetch(`${a.url}/api/auth/api-key/revoke`, { method: 'POST', headers: { ...json, cookie: user.cookie }, body: JSON.stringify({ keyId: id }) });
    expect(res.status).toBe(200);
    expect(await codes(sockets, 'revoked key')).toEqual([CLOSE_CODES.KEY_REVOKED, CLOSE_CODES.KEY_REVOKED]);
    expect(sockets[1].messages.at(-1)).toMatchObject({ type: 'session_ended', data: { reason: 'key_revoked' } });
  });

  it('narrowing a key (api-key update without realtime:connect) closes its sockets with 4007; a rename keeps them open', async () => {
    const user = await realtimeUser('ws-key-narrow');
    const { key, id } = await createKey(user, [WS_CONNECT_PERMISSION, 'orders:read']);
    const sockets = await keySockets(key);
    const update = (body: object) => fetch(`${a.url}/api/auth/api-key/update`, { method: 'POST', headers: { ...json, cookie: user.cookie }, body: JSON.stringify({ keyId: id, ...body }) });
    // A rename re-checks the sockets and keeps them: the next update's close proves the first was decided.
    expect((await update({ name: 'renamed' })).status).toBe(200);
    expect((await update({ scopes: ['orders:read'] })).status).toBe(200);
    expect(await codes(sockets, 'narrowed key')).toEqual([CLOSE_CODES.PERMISSION_REVOKED, CLOSE_CODES.PERMISSION_REVOKED]);
    expect(sockets.map((s) => s.messages.filter((m) => m.type === 'session_ended').length)).toEqual([1, 1]);
  });

  it('deleting a key closes its sockets (4006)', async () => {
    const user = await realtimeUser('ws-key-delete');
    const { key, id } = await createKey(user, [WS_CONNECT_PERMISSION]);
    const sockets = await keySockets(key);
    await b.context.repositories.apiKeys.delete(id);
    expect(await codes(sockets, 'deleted key')).toEqual([CLOSE_CODES.KEY_REVOKED, CLOSE_CODES.KEY_REVOKED]);
  });

  it("a key socket closes at the key's expiry (moved close on instance A, socket on B re-armed over the bus)", async () => {
    const user = await realtimeUser('ws-key-expiry');
    const { key, id } = await createKey(user, [WS_CONNECT_PERMISSION]);
    const sockets = await keySockets(key);
    await a.context.repositories.apiKeys.update(id, { expiresAt: new Date(Date.now() + 1_500) });
    expect(await codes(sockets, 'expired key')).toEqual([CLOSE_CODES.KEY_REVOKED, CLOSE_CODES.KEY_REVOKED]);
  });

  it("a role change that drops realtime:connect from the owner closes the key's sockets with 4007", async () => {
    const role = await a.context.repositories.roles.create({ name: `realtime-narrowed-${Date.now()}`, permissions: [WS_CONNECT_PERMISSION, 'orders:read'] });
    const user = await signedInUser(a, 'ws-role-narrow');
    await a.context.repositories.users.updateRole(user.id, role.id, 'test');
    const { key } = await createKey(user, [WS_CONNECT_PERMISSION]);
    const sockets = await keySockets(key);
    await b.context.repositories.roles.removePermissions(role.id, [WS_CONNECT_PERMISSION]);
    expect(await codes(sockets, 'role lost realtime:connect')).toEqual([CLOSE_CODES.PERMISSION_REVOKED, CLOSE_CODES.PERMISSION_REVOKED]);
  });

  it("banning a key's owner closes the key's sockets with 4004", async () => {
    const user = await realtimeUser('ws-key-owner');
    const { key } = await createKey(user, [WS_CONNECT_PERMISSION]);
    const sockets = await keySockets(key);
    await b.context.repositories.users.batchUpdateStatus([user.id], 'BANNED', 'test', 'abuse');
    expect(await codes(sockets, 'banned owner')).toEqual([CLOSE_CODES.USER_BANNED, CLOSE_CODES.USER_BANNED]);
  });

  it('a ban on instance A closes session sockets on instance B with 4004', async () => {
    const user = await signedInUser(a, 'ws-ban-cross');
    const onB = await openSocket(b.url, { cookie: user.cookie });
    await a.context.repositories.users.batchUpdateStatus([user.id], 'BANNED', 'test', 'abuse');
    expect(await closedWithin(onB, 'banned user on B')).toBe(CLOSE_CODES.USER_BANNED);
    expect(onB.messages.at(-1)).toMatchObject({ type: 'session_ended', data: { reason: 'banned' } });
  });

  it("one batch ban closes every banned user's sockets on both instances, and no one else's", async () => {
    const users = await Promise.all(['ws-batch-1', 'ws-batch-2', 'ws-batch-3', 'ws-batch-4'].map((label) => signedInUser(a, label)));
    const sockets = await Promise.all(users.flatMap((u) => [openSocket(a.url, { cookie: u.cookie }), openSocket(b.url, { cookie: u.cookie })]));
    const bystander = sockets.slice(6);
    await a.context.repositories.users.batchUpdateStatus(users.slice(0, 3).map((u) => u.id), 'BANNED', 'test', 'batch');
    expect(await codes(sockets.slice(0, 6), 'batch-banned users')).toEqual(Array(6).fill(CLOSE_CODES.USER_BANNED));
    // Still open: a fresh revocation of the bystander's session is what closes them (4003), not the ban.
    expect(bystander.map((s) => s.socket.readyState)).toEqual([1, 1]);
    await b.context.repositories.sessions.endAllForUser(users[3].id, { reason: 'revoked' });
    expect(await codes(bystander, 'revoked bystander')).toEqual([CLOSE_CODES.SESSION_REVOKED, CLOSE_CODES.SESSION_REVOKED]);
  });

  it("a session socket closes at the session's expiry (4001), also when the expiry moved on another instance", async () => {
    const user = await signedInUser(a, 'ws-session-expiry');
    const onA = await openSocket(a.url, { cookie: user.cookie });
    const onB = await openSocket(b.url, { cookie: user.cookie });
    const sessionId = String(onA.messages[0].data.sessionId);
    await a.context.repositories.sessions.update(sessionId, { expiresAt: new Date(Date.now() + 1_500) });
    expect(await codes([onA, onB], 'expired session')).toEqual([CLOSE_CODES.SESSION_EXPIRED, CLOSE_CODES.SESSION_EXPIRED]);
    expect(onB.messages.at(-1)).toMatchObject({ type: 'session_ended', data: { reason: 'expired' } });
  });
});
