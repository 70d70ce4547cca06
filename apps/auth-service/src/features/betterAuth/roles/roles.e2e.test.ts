import { createAuthClient } from 'better-auth/client';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TestDatabase } from '@tools/test-harness';
import { migratedDatabase, startTestApp, type TestApp } from '../../../testing/testApp';
import { requirePermission } from '../../../identity/fastifyGuards';
import { identityPlugin } from '../../../identity/identityPlugin';
import { postJson, signUp, type SignedUpUser } from '../testing/users';
import { rolesClient } from '@libs/better-auth/client';

describe('roles plugin end to end (two instances, one Postgres, one Redis)', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let admin: SignedUpUser;
  let member: SignedUpUser;
  let side: FastifyInstance;
  let sideUrl: string;

  const call = (t: TestApp, path: string, body: unknown, user: SignedUpUser) => postJson(`${t.url}/api/auth${path}`, body, { cookie: user.cookie });
  const has = async (t: TestApp, user: SignedUpUser, permission: string) => (await call(t, '/roles/has-permission', { permission }, user)).body['granted'];
  async function createRole(body: Record<string, unknown>): Promise<{ id: string; version: number; effectivePermissions: string[] }> {
    const created = await call(a, '/roles/create', body, admin);
    expect(created.status).toBe(200);
    return created.body['role'] as { id: string; version: number; effectivePermissions: string[] };
  }

  beforeAll(async () => {
    database = await migratedDatabase('roles');
    a = await startTestApp({ database, redis: true });
    b = await startTestApp({ database, redis: true });
    await Promise.all([a.context.cache.ready(), b.context.cache.ready()]);
    admin = await signUp(a.url, 'Admin');
    member = await signUp(a.url, 'Member');
    // The first administrator is granted server-side: the endpoints are guarded by permissions.
    const adminRole = await a.context.repositories.roles.create({ name: 'admin', permissions: ['*:*'], isSystem: true });
    await a.context.repositories.users.updateRole(admin.id, adminRole.id, 'bootstrap');

    side = Fastify();
    await side.register(identityPlugin, { access: a.context.access, principalLimit: a.context.pluginServices.principalLimit });
    side.get('/reports', { preHandler: requirePermission('reports:view') }, async () => ({ ok: true }));
    side.get('/orders', { preHandler: requirePermission('orders:read') }, async (request) => ({ userId: request.principal?.user.id }));
    sideUrl = await side.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await side?.close();
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  it('guards the admin endpoints by permission', async () => {
    const denied = await call(a, '/roles/create', { name: 'sneaky', permissions: ['*:*'] }, member);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'roles:manage' });
    expect(await a.context.repositories.roles.findByName('sneaky')).toBeNull();
    const selfAssign = await call(a, '/roles/assign', { userId: member.id, roleId: null }, member);
    expect(selfAssign.status).toBe(403);
    const anonymous = await postJson(`${a.url}/api/auth/roles/create`, { name: 'x' });
    expect(anonymous.status).toBe(401);
  });

  it('inherits permissions three levels deep, through the client, and refuses cycles', async () => {
    const client = createAuthClient({ baseURL: a.url, plugins: [rolesClient()] });
    const headers = { cookie: admin.cookie };
    const viewer = await client.roles.create({ name: 'viewer', category: 'staff', level: 1, permissions: ['orders:read'] }, { headers });
    expect(viewer.error).toBeNull();
    const editor = await createRole({ name: 'editor', category: 'staff', level: 2, parentRoleId: viewer.data!.role.id, permissions: ['orders:write'] });
    const manager = await createRole({ name: 'manager', category: 'staff', level: 3, parentRoleId: editor.id, permissions: ['reports:view'] });
    expect(manager.effectivePermissions).toEqual(['orders:read', 'orders:write', 'reports:view']);

    const assigned = await client.roles.assign({ userId: member.id, roleId: manager.id, reason: 'promotion' }, { headers });
    expect(assigned.error).toBeNull();
    expect(await has(a, member, 'orders:read')).toBe(true); // from the grandparent
    expect(await has(a, member, 'orders:write')).toBe(true);
    expect(await has(a, member, 'users:delete')).toBe(false);
    const mine = await fetch(`${a.url}/api/auth/roles/my-permissions`, { headers: { cookie: member.cookie } });
    expect(await mine.json()).toMatchObject({ permissions: ['orders:read', 'orders:write', 'reports:view'] });

    // Audited on the user row and as a UserEvent.
    const row = await a.context.repositories.users.findById(member.id, { select: undefined });
    expect(row!.roleId).toBe(manager.id);
    expect(row!.roleAssignedBy).toBe(admin.id);
    expect(row!.auditLog).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'ROLE_CHANGED', by: admin.id, to: manager.id, from: null, reason: 'promotion' })]));
    const events = await a.context.repositories.events.query({ userId: member.id, eventType: 'ROLE_ASSIGNED' });
    expect(events[0]?.metadata).toMatchObject({ to: manager.id, by: admin.id });

    const cycle = await call(a, '/roles/update', { roleId: viewer.data!.role.id, parentRoleId: manager.id }, admin);
    expect(cycle.status).toBe(400);
    expect(cycle.body).toMatchObject({ code: 'ROLE_CYCLE' });
    const self = await call(a, '/roles/update', { roleId: editor.id, parentRoleId: editor.id }, admin);
    expect(self.body).toMatchObject({ code: 'ROLE_CYCLE' });
    expect((await a.context.repositories.roles.findById(viewer.data!.role.id))!.parentRoleId).toBeNull();

    const renamed = await call(a, '/roles/update', { roleId: editor.id, description: 'edits orders' }, admin);
    expect((renamed.body['role'] as { version: number }).version).toBe(editor.version + 1);
    const roleEvents = await a.context.repositories.events.query({ userId: admin.id, eventType: ['ROLE_CREATED', 'ROLE_UPDATED'] });
    expect(roleEvents.length).toBeGreaterThanOrEqual(4);

    const inUse = await call(a, '/roles/delete', { roleId: manager.id }, admin);
    expect(inUse.status).toBe(409);
  });

  it('lets nobody grant more than they hold (no escalation through assign, create or add-permissions)', async () => {
    const delegate = await signUp(a.url, 'Delegate');
    const target = await signUp(a.url, 'Target');
    const assigner = await createRole({ name: `assigner-${Date.now()}`, permissions: ['roles:assign', 'roles:manage', 'tickets:read'] });
    const tickets = await createRole({ name: `tickets-${Date.now()}`, permissions: ['tickets:read'] });
    await call(a, '/roles/assign', { userId: delegate.id, roleId: assigner.id }, admin);
    const admins = await a.context.repositories.roles.findByName('admin');

    const self = await call(a, '/roles/assign', { userId: delegate.id, roleId: admins!.id }, delegate);
    expect(self.status).toBe(403);
    expect(self.body).toMatchObject({ code: 'ROLE_ESCALATION', missing: ['*:*'] });
    expect((await a.context.repositories.users.findById(delegate.id))!.roleId).toBe(assigner.id);
    const widen = await call(a, '/roles/add-permissions', { roleId: assigner.id, permissions: ['users:delete'] }, delegate);
    expect(widen.body).toMatchObject({ code: 'ROLE_ESCALATION', missing: ['users:delete'] });
    const child = await call(a, '/roles/create', { name: `sub-admin-${Date.now()}`, parentRoleId: admins!.id }, delegate);
    expect(child.body).toMatchObject({ code: 'ROLE_ESCALATION' });

    const fine = await call(a, '/roles/assign', { userId: target.id, roleId: tickets.id }, delegate);
    expect(fine.status).toBe(200);
    expect(await has(a, target, 'tickets:read')).toBe(true);
  });

  it('reads, lists and deletes roles (system roles and roles in use are kept; children move to the top)', async () => {
    const parent = await createRole({ name: `parent-${Date.now()}`, category: 'ops', level: 5, permissions: ['ops:read'] });
    const child = await createRole({ name: `child-${Date.now()}`, parentRoleId: parent.id, permissions: ['ops:write'] });
    const read = await fetch(`${a.url}/api/auth/roles/get?roleId=${child.id}`, { headers: { cookie: admin.cookie } });
    expect(await read.json()).toMatchObject({ role: { id: child.id, parentRoleId: parent.id, permissions: ['ops:write'], effectivePermissions: ['ops:read', 'ops:write'] } });
    const list = (await (await fetch(`${a.url}/api/auth/roles/list`, { headers: { cookie: admin.cookie } })).json()) as { roles: Array<{ id: string }> };
    expect(list.roles.map((r) => r.id)).toEqual(expect.arrayContaining([parent.id, child.id]));
    expect((await fetch(`${a.url}/api/auth/roles/list`, { headers: { cookie: member.cookie } })).status).toBe(403);

    const deleted = await call(a, '/roles/delete', { roleId: parent.id }, admin);
    expect(deleted.status).toBe(200);
    expect(await a.context.repositories.roles.findById(parent.id)).toBeNull();
    const orphan = await fetch(`${b.url}/api/auth/roles/get?roleId=${child.id}`, { headers: { cookie: admin.cookie } });
    expect(await orphan.json()).toMatchObject({ role: { parentRoleId: null, effectivePermissions: ['ops:write'] } });
    const system = await a.context.repositories.roles.findByName('admin');
    expect((await call(a, '/roles/delete', { roleId: system!.id }, admin)).body).toMatchObject({ code: 'SYSTEM_ROLE' });
    expect((await call(a, '/roles/delete', { roleId: parent.id }, admin)).status).toBe(404);
  });

  it('grants nothing through an expired assignment', async () => {
    const user = await signUp(a.url, 'Temp');
    const temp = await createRole({ name: `temp-${Date.now()}`, permissions: ['temp:use'] });
    const expiresAt = new Date(Date.now() + 60_000);
    const assigned = await call(a, '/roles/assign', { userId: user.id, roleId: temp.id, expiresAt: expiresAt.toISOString() }, admin);
    expect(assigned.status).toBe(200);
    expect(await has(b, user, 'temp:use')).toBe(true); // now cached on b
    // b's clock passes the expiry: the cached grants stop granting without any write.
    const clock = jest.spyOn(b.context.access, 'now').mockReturnValue(expiresAt.getTime() + 1);
    try {
      expect(await has(b, user, 'temp:use')).toBe(false);
      const mine = await fetch(`${b.url}/api/auth/roles/my-permissions`, { headers: { cookie: user.cookie } });
      expect(await mine.json()).toEqual({ permissions: [], grants: [] });
    } finally {
      clock.mockRestore();
    }
    const past = await call(a, '/roles/assign', { userId: user.id, roleId: temp.id, expiresAt: new Date(Date.now() - 1_000).toISOString() }, admin);
    expect(past.status).toBe(200);
    expect(await has(a, user, 'temp:use')).toBe(false);
  });

  it('shows a permission change on the other instance on the next request', async () => {
    const user = await signUp(a.url, 'Watcher');
    const role = await createRole({ name: `watcher-${Date.now()}`, permissions: ['feed:read'] });
    await call(a, '/roles/assign', { userId: user.id, roleId: role.id }, admin);
    expect(await has(b, user, 'exports:run')).toBe(false); // cached on b
    const added = await call(a, '/roles/add-permissions', { roleId: role.id, permissions: ['exports:run'] }, admin);
    expect(added.status).toBe(200);
    expect(await has(b, user, 'exports:run')).toBe(true);
    await call(a, '/roles/remove-permissions', { roleId: role.id, permissions: ['exports:run'] }, admin);
    expect(await has(b, user, 'exports:run')).toBe(false);
    await call(a, '/roles/assign', { userId: user.id, roleId: null }, admin);
    expect(await has(b, user, 'feed:read')).toBe(false);
  });

  it('guards Fastify routes with requirePermission, for a session and for an API key (granted scope and owner permission)', async () => {
    expect((await fetch(`${sideUrl}/reports`)).status).toBe(401);
    const nobody = await signUp(a.url, 'Nobody');
    const forbidden = await fetch(`${sideUrl}/reports`, { headers: { cookie: nobody.cookie } });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: 'PERMISSION_DENIED', permission: 'reports:view' } });
    expect((await fetch(`${sideUrl}/reports`, { headers: { cookie: admin.cookie } })).status).toBe(200);

    const keyOf = async (user: SignedUpUser, scopes: string[]) =>
      ((await postJson(`${a.url}/api/auth/api-key/create`, { name: 'svc', scopes }, { cookie: user.cookie })).body['key'] as string);
    const memberKey = await keyOf(member, ['orders:read']); // member holds orders:read through the manager role
    const ok = await fetch(`${sideUrl}/orders`, { headers: { 'x-api-key': memberKey } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ userId: member.id });
    const narrow = await keyOf(member, ['profile:read']);
    const noScope = await fetch(`${sideUrl}/orders`, { headers: { 'x-api-key': narrow } });
    expect(noScope.status).toBe(403);
    expect(await noScope.json()).toMatchObject({ error: { code: 'INSUFFICIENT_SCOPE', permission: 'orders:read' } });
    const nobodyKey = await keyOf(nobody, ['orders:read']);
    const noRole = await fetch(`${sideUrl}/orders`, { headers: { 'x-api-key': nobodyKey } }); // scope yes, role no
    expect(noRole.status).toBe(403);
    expect(await noRole.json()).toMatchObject({ error: { code: 'PERMISSION_DENIED', permission: 'orders:read' } });
    const wrong = await fetch(`${sideUrl}/orders`, { headers: { 'x-api-key': 'sk_nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'INVALID_API_KEY', message: 'Invalid API key' } });
    // A key never exceeds its grant: the member holds reports:view, the key was granted orders:read only.
    const beyond = await fetch(`${sideUrl}/reports`, { headers: { 'x-api-key': memberKey } });
    expect(beyond.status).toBe(403);
    expect(await beyond.json()).toMatchObject({ error: { code: 'INSUFFICIENT_SCOPE', permission: 'reports:view' } });
    const wide = await keyOf(member, ['*']);
    expect((await fetch(`${sideUrl}/reports`, { headers: { 'x-api-key': wide } })).status).toBe(200);
  });
});
