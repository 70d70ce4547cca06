import type { TestDatabase } from '@tools/test-harness';
import { migratedDatabase, startTestApp, type TestApp } from '../testing/testApp';
import { postJson, signUp, type SignedUpUser } from '../features/betterAuth/testing/users';
import { ADMIN_PERMISSIONS } from '../features/admin/adminRoutes';
import { runBootstrapAdmin } from '../bootstrap';
import { SYSTEM_ADMIN_ROLE } from './bootstrapAdmin';

const json = { 'content-type': 'application/json' };
const PASSWORD = 'correct horse battery';

/** Every guarded admin route, with a request that would pass the guard. */
const GUARDED: Array<{ method: 'GET' | 'POST'; path: (userId: string) => string; permission: string; body?: (userId: string) => unknown }> = [
  { method: 'POST', path: () => '/api/admin/users', permission: ADMIN_PERMISSIONS.manageUsers, body: () => ({ email: `made-${Date.now()}@example.com`, name: 'Made', roleId: 'none' }) },
  { method: 'GET', path: () => '/api/admin/users/by-email?email=nobody@example.com', permission: ADMIN_PERMISSIONS.readUsers },
  { method: 'GET', path: (id) => `/api/admin/users/${id}`, permission: ADMIN_PERMISSIONS.readUsers },
  { method: 'GET', path: () => '/api/admin/users/stats', permission: ADMIN_PERMISSIONS.readUsers },
  { method: 'GET', path: () => '/api/admin/roles/none/users', permission: ADMIN_PERMISSIONS.readUsers },
  { method: 'POST', path: () => '/api/admin/users/status', permission: ADMIN_PERMISSIONS.manageUsers, body: (id) => ({ userIds: [id], status: 'INACTIVE' }) },
  { method: 'POST', path: (id) => `/api/admin/users/${id}/delete`, permission: ADMIN_PERMISSIONS.manageUsers },
  { method: 'POST', path: (id) => `/api/admin/users/${id}/restore`, permission: ADMIN_PERMISSIONS.manageUsers },
  { method: 'GET', path: () => '/api/admin/metrics', permission: ADMIN_PERMISSIONS.readMetrics },
];

describe('access core: least privilege, lifecycle, audit, enumeration (two instances, one Postgres, one Redis)', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let admin: SignedUpUser;

  const call = (t: TestApp, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${t.url}${path}`, { method, headers: { ...(body === undefined ? {} : json), origin: t.url, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const keyOf = async (user: SignedUpUser, grant: { scopes?: string[]; permissions?: Record<string, string[]> }) => {
    const created = await postJson(`${a.url}/api/auth/api-key/create`, { name: 'svc', ...grant }, { cookie: user.cookie });
    expect(created.status).toBe(200);
    return created.body['key'] as string;
  };
  const signIn = (t: TestApp, email: string) => postJson(`${t.url}/api/auth/sign-in/email`, { email, password: PASSWORD });

  beforeAll(async () => {
    database = await migratedDatabase('security');
    // Production scrypt cost: the taken-email sign-up below must hash exactly like a new one.
    const env = { PASSWORD_HASH_COST: 'standard' };
    a = await startTestApp({ database, redis: true, env });
    b = await startTestApp({ database, redis: true, env });
    await Promise.all([a.context.cache.ready(), b.context.cache.ready()]);
    admin = await signUp(a.url, 'Admin');
    // The bootstrap promotes only an account whose owner proved the address.
    await a.context.repositories.users.update(admin.id, { emailVerified: true });
    const result = await runBootstrapAdmin(a.context, { email: admin.email });
    expect(result.status).toBe('assigned');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  it('bootstraps the first admin idempotently; once it exists only create-admin adds another', async () => {
    expect((await runBootstrapAdmin(b.context, { email: admin.email })).status).toBe('already-admin');
    expect((await runBootstrapAdmin(b.context, { email: `env-${Date.now()}@example.com`, password: PASSWORD })).status).toBe('admin-exists');
    const fresh = await runBootstrapAdmin(b.context, { email: `ops-${Date.now()}@example.com`, password: PASSWORD, name: 'Ops', source: 'create-admin' });
    expect(fresh).toMatchObject({ status: 'assigned', created: true });
    const roles = await a.context.repositories.roles.findMany({ where: { name: SYSTEM_ADMIN_ROLE.name } });
    expect(roles).toHaveLength(1);
    expect(roles[0]).toMatchObject({ isSystem: true });
    expect((await runBootstrapAdmin(a.context, { email: 'nobody-here@example.com', source: 'create-admin' })).status).toBe('no-user');
    // The bootstrapped admin reaches a guarded route.
    expect((await call(a, 'GET', '/api/admin/users/stats', { cookie: admin.cookie })).status).toBe(200);
  });

  it('an API key never exceeds its grant: every guarded route refuses an under-scoped key of an admin with 403 naming the permission', async () => {
    const narrow = await keyOf(admin, { scopes: ['orders:read'] });
    const target = await signUp(a.url, 'Target');
    for (const route of GUARDED) {
      const res = await call(a, route.method, route.path(target.id), { 'x-api-key': narrow }, route.body?.(target.id));
      expect({ path: route.path(target.id), status: res.status }).toEqual({ path: route.path(target.id), status: 403 });
      expect(await res.json()).toMatchObject({ error: { code: 'INSUFFICIENT_SCOPE', permission: route.permission } });
    }
    expect((await a.context.repositories.users.findById(target.id))?.status).toBe('ACTIVE');
    // The same key through its `permissions` JSON grant: exactly users:read, nothing more.
    const reader = await keyOf(admin, { permissions: { users: ['read'] } });
    expect((await call(a, 'GET', `/api/admin/users/${target.id}`, { 'x-api-key': reader })).status).toBe(200);
    const manage = await call(a, 'POST', '/api/admin/users/status', { 'x-api-key': reader }, { userIds: [target.id], status: 'INACTIVE' });
    expect(manage.status).toBe(403);
    // And never more than its owner holds now: a `*` key of a plain user grants nothing here.
    const plain = await signUp(a.url, 'Plain');
    const everything = await keyOf(plain, { scopes: ['*'] });
    const denied = await call(a, 'GET', '/api/admin/users/stats', { 'x-api-key': everything });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: { code: 'PERMISSION_DENIED', permission: ADMIN_PERMISSIONS.readUsers } });
    // Through Better-Auth's own endpoints too: has-permission answers for the key, not its owner.
    const viaKey = await postJson(`${a.url}/api/auth/roles/has-permission`, { permission: 'users:manage' }, { 'x-api-key': reader });
    expect(viaKey.body).toMatchObject({ granted: false });
    const mine = await fetch(`${a.url}/api/auth/roles/my-permissions`, { headers: { 'x-api-key': reader } });
    expect(((await mine.json()) as { permissions: string[] }).permissions).toEqual(['users:read']);
  });

  it('records the authenticated actor on every admin write (user id, plus key id for a key caller)', async () => {
    const roleId = (await a.context.repositories.roles.findByName(SYSTEM_ADMIN_ROLE.name))!.id;
    const email = `audited-${Date.now()}@example.com`;
    const created = await call(a, 'POST', '/api/admin/users', { cookie: admin.cookie }, { email, name: 'Audited', roleId });
    expect(created.status).toBe(201);
    const row = await a.context.repositories.users.findByEmail(email);
    expect(row).toMatchObject({ createdBy: admin.id, roleAssignedBy: admin.id });
    expect(row!.auditLog).toEqual([expect.objectContaining({ action: 'ROLE_CHANGED', by: admin.id })]);

    const key = await keyOf(admin, { scopes: ['users:manage'] });
    const keyId = (await a.context.repositories.apiKeys.listByUser(admin.id)).find((k) => k.scopes.includes('users:manage'))!.id;
    // The key's grant (users:manage) does not contain the system-admin row's *:*: it acts on a plain user.
    const plain = await signUp(a.url, 'Audited by key');
    const status = await call(a, 'POST', '/api/admin/users/status', { 'x-api-key': key }, { userIds: [plain.id], status: 'INACTIVE', reason: 'audit' });
    expect(await status.json()).toEqual({ updated: 1 });
    const after = await a.context.repositories.users.findById(plain.id);
    expect(after).toMatchObject({ updatedBy: admin.id });
    expect(after!.auditLog).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'STATUS_CHANGED', by: admin.id, apiKeyId: keyId, to: 'INACTIVE' })]));
    expect(JSON.stringify(after!.auditLog)).not.toContain('"admin"');
  });

  it('DELETED by any path is a soft delete, and restore undoes it (through the admin routes)', async () => {
    const victim = await signUp(a.url, 'Victim');
    const byStatus = await call(a, 'POST', '/api/admin/users/status', { cookie: admin.cookie }, { userIds: [victim.id], status: 'DELETED' });
    expect(await byStatus.json()).toEqual({ updated: 1 });
    const deleted = await a.context.repositories.users.findFirst({ where: { id: victim.id }, includeDeleted: true });
    expect(deleted).toMatchObject({ isDeleted: true, status: 'DELETED', deletedBy: admin.id });
    expect(await (await fetch(`${b.url}/api/auth/get-session`, { headers: { cookie: victim.cookie } })).json()).toBeNull();
    const restored = await call(a, 'POST', `/api/admin/users/${victim.id}/restore`, { cookie: admin.cookie });
    expect(restored.status).toBe(200);
    expect(await restored.json()).toMatchObject({ user: { isDeleted: false, status: 'ACTIVE', deletedAt: null } });
    expect((await signIn(b, victim.email)).status).toBe(200);

    const other = await signUp(a.url, 'Other');
    expect((await call(a, 'POST', `/api/admin/users/${other.id}/delete`, { cookie: admin.cookie })).status).toBe(200);
    expect((await call(a, 'POST', `/api/admin/users/${other.id}/delete`, { cookie: admin.cookie })).status).toBe(404);
    expect((await call(a, 'POST', `/api/admin/users/${other.id}/restore`, { cookie: admin.cookie })).status).toBe(200);
    expect((await call(a, 'POST', `/api/admin/users/${other.id}/restore`, { cookie: admin.cookie })).status).toBe(404);
  });

  it('a temporary ban ends sessions and key access on every instance, then lapses at banExpiresAt (sign-in works again, an event is written)', async () => {
    const banned = await signUp(a.url, 'Temp ban');
    const key = await keyOf(banned, { scopes: ['*'] });
    expect((await postJson(`${b.url}/api/auth/api-key/verify`, { key })).status).toBe(200); // cached on b
    const banExpiresAt = new Date(Date.now() + 3_600_000);
    const ban = await call(a, 'POST', '/api/admin/users/status', { cookie: admin.cookie }, { userIds: [banned.id], status: 'BANNED', reason: 'cool off', banExpiresAt: banExpiresAt.toISOString() });
    expect(await ban.json()).toEqual({ updated: 1 });
    expect(await (await fetch(`${b.url}/api/auth/get-session`, { headers: { cookie: banned.cookie } })).json()).toBeNull();
    expect((await postJson(`${b.url}/api/auth/api-key/verify`, { key })).status).toBe(401);
    expect((await signIn(b, banned.email)).status).toBe(401);

    // b's clock passes the ban's end: the next sign-in works and the ban is lifted for everyone.
    const clock = jest.spyOn(b.context.access, 'now').mockReturnValue(banExpiresAt.getTime() + 1);
    try {
      expect((await signIn(b, banned.email)).status).toBe(200);
      await b.context.background.drain();
    } finally {
      clock.mockRestore();
    }
    const lifted = await a.context.repositories.users.findById(banned.id);
    expect(lifted).toMatchObject({ status: 'ACTIVE', banExpiresAt: null, bannedAt: null });
    expect(lifted!.auditLog).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'BAN_LAPSED', by: 'system', from: 'BANNED', to: 'ACTIVE' })]));
    expect(await a.context.repositories.events.query({ userId: banned.id, eventType: 'ban_lapsed' })).toHaveLength(1);
    expect((await postJson(`${a.url}/api/auth/api-key/verify`, { key })).status).toBe(200);
    // The session from before the ban stays ended.
    expect(await (await fetch(`${a.url}/api/auth/get-session`, { headers: { cookie: banned.cookie } })).json()).toBeNull();
  });

  it('evaluates permission conditions at check time and refuses unknown ones when written', async () => {
    const self = await signUp(a.url, 'Self reader');
    const stranger = await signUp(a.url, 'Stranger');
    const created = await postJson(`${a.url}/api/auth/roles/create`, { name: `self-${Date.now()}`, permissions: [{ permission: 'users:read', conditions: { own: true } }] }, { cookie: admin.cookie });
    expect(created.status).toBe(200);
    const roleId = (created.body['role'] as { id: string }).id;
    expect((await postJson(`${a.url}/api/auth/roles/assign`, { userId: self.id, roleId }, { cookie: admin.cookie })).status).toBe(200);
    expect((await call(a, 'GET', `/api/admin/users/${self.id}`, { cookie: self.cookie })).status).toBe(200);
    const other = await call(a, 'GET', `/api/admin/users/${stranger.id}`, { cookie: self.cookie });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: { code: 'PERMISSION_DENIED', permission: 'users:read' } });
    // A listing has no owner: a conditional grant does not widen into an unconditional one.
    expect((await call(a, 'GET', '/api/admin/users/stats', { cookie: self.cookie })).status).toBe(403);

    const unknown = await postJson(`${a.url}/api/auth/roles/add-permissions`, { roleId, permissions: [{ permission: 'users:manage', conditions: { ipRange: '10.0.0.0/8' } }] }, { cookie: admin.cookie });
    expect(unknown.status).toBe(400);
    expect((await a.context.repositories.roles.getEffectivePermissions(roleId)).sort()).toEqual(['users:read']);
    const hours = await postJson(`${a.url}/api/auth/roles/add-permissions`, { roleId, permissions: [{ permission: 'reports:view', conditions: { timeWindow: { start: '25:00', end: '26:00' } } }] }, { cookie: admin.cookie });
    expect(hours.status).toBe(400);
  });

  it('sign-up answers a taken email exactly like a new one (same status, same fields and values)', async () => {
    const email = `twice-${Date.now()}@example.com`;
    const body = { email, password: PASSWORD, name: 'Twice' };
    const first = await postJson(`${a.url}/api/auth/sign-up/email`, body);
    const second = await postJson(`${b.url}/api/auth/sign-up/email`, body);
    expect(second.status).toBe(first.status);
    const strip = (answer: Record<string, unknown>) => {
      const user = { ...(answer['user'] as Record<string, unknown>) };
      for (const varying of ['id', 'createdAt', 'updatedAt']) {
        expect(typeof user[varying]).toBe('string');
        delete user[varying];
      }
      return { ...answer, user, userKeys: Object.keys(answer['user'] as object) };
    };
    expect(strip(second.body)).toEqual(strip(first.body));
    expect((first.body['user'] as Record<string, unknown>)['status']).toBe('ACTIVE');
  });

  it('stores keys hashed (at least 128 bits of secret), and no key, password or cookie reaches the logs', async () => {
    const key = await keyOf(admin, { scopes: ['users:read'] });
    const row = (await a.context.repositories.apiKeys.listByUser(admin.id)).find((k) => key.includes(k.keyIdentifier));
    expect(row).toBeDefined();
    const stored = await a.context.repositories.apiKeys.findFirst({ where: { id: row!.id } });
    expect(JSON.stringify(stored)).not.toContain(key.slice(-20));
    const secret = key.split('_').at(-1)!;
    expect(secret.length * Math.log2(62)).toBeGreaterThanOrEqual(128);
    await call(a, 'GET', '/api/admin/users/stats', { 'x-api-key': key });
    const logs = a.logs.join('\n');
    expect(logs).not.toContain(key);
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain(admin.cookie.split('=')[1]);
  });

  it('a session has an absolute lifetime: refreshes never carry it past 30 days from sign-in', async () => {
    const user = await signUp(a.url, 'Old timer');
    const day = 86_400_000;
    const token = (suffix: string) => `abs${suffix}${Date.now()}`.padEnd(32, '0').slice(0, 32);
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    // A fresh sign-in gets Better-Auth's 7 days, well within the lifetime.
    const fresh = (await a.context.repositories.sessions.findActiveByUser(user.id))[0];
    expect(fresh.expiresAt.getTime()).toBeLessThanOrEqual(fresh.createdAt.getTime() + 30 * day);

    // Inside the refresh window Better-Auth extends the session; the extension is capped.
    const createdAt = new Date(Date.now() - 29 * day);
    const before = new Date(Date.now() + day / 2);
    const old = token('b');
    await a.context.repositories.sessions.create({ userId: user.id, token: old, createdAt, expiresAt: before });
    const refreshed = await fetch(`${a.url}/api/auth/get-session`, { headers: bearer(old) });
    expect(((await refreshed.json()) as { session: { token: string } }).session.token).toBe(old);
    const row = await a.context.repositories.sessions.findByToken(old);
    // Extended (Better-Auth would give it 7 more days) but only up to 30 days after creation.
    expect(row!.expiresAt.getTime()).toBeGreaterThan(before.getTime());
    expect(row!.expiresAt.getTime()).toBe(createdAt.getTime() + 30 * day);
  });

  it('a password change on one instance ends the other sessions on every instance', async () => {
    const user = await signUp(a.url, 'Changer');
    const other = await signIn(b, user.email);
    const otherCookie = (other.headers.get('set-cookie') ?? '').split(';')[0];
    expect(await (await fetch(`${b.url}/api/auth/get-session`, { headers: { cookie: otherCookie } })).json()).not.toBeNull();
    const changed = await postJson(`${a.url}/api/auth/change-password`, { currentPassword: PASSWORD, newPassword: 'another long password' }, { cookie: user.cookie, origin: a.url });
    expect(changed.status).toBe(200);
    expect(await (await fetch(`${b.url}/api/auth/get-session`, { headers: { cookie: otherCookie } })).json()).toBeNull();
  });
});
