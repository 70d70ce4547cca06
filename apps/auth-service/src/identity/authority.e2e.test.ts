import type { TestDatabase } from '@tools/test-harness';
import { migratedDatabase, startTestApp, type TestApp } from '../testing/testApp';
import { postJson, signUp, type SignedUpUser } from '../features/betterAuth/testing/users';
import { promoteVerifiedToSystemAdmin } from '../testing/systemAdmin';
import { SYSTEM_ADMIN_ROLE } from './bootstrapAdmin';
import { ESCALATION_BYPASS_EVENT } from '@libs/better-auth';

/**
 * Red team of the authority rule, black box over HTTP on two instances (one Postgres, one Redis):
 * each case was a reproduced escalation on the code before the rule; each asserts the status, the
 * code and that the rows did not change.
 */
describe('authority: no escalation, no acting above your rank, the last admin stays (two instances)', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let root: SignedUpUser;
  let systemRoleId: string;
  let starRoleId: string;
  let managerRoleId: string;
  let readerRoleId: string;
  let manager: SignedUpUser;
  let userAdmin: SignedUpUser;

  const auth = (t: TestApp, path: string, body: unknown, user: SignedUpUser) => postJson(`${t.url}/api/auth${path}`, body, { cookie: user.cookie });
  const admin = (t: TestApp, path: string, body: unknown, headers: Record<string, string>) => postJson(`${t.url}${path}`, body, { origin: t.url, ...headers });
  const repos = () => a.context.repositories;
  const userRow = async (id: string) => (await repos().users.findFirst({ where: { id }, includeDeleted: true }))!;
  const holding = async (name: string, permissions: string[]) => {
    const user = await signUp(a.url, name);
    const role = await repos().roles.create({ name: `${name}-${Date.now()}`, permissions });
    await repos().users.updateRole(user.id, role.id, 'test');
    return { user, roleId: role.id };
  };

  beforeAll(async () => {
    database = await migratedDatabase('authority');
    a = await startTestApp({ database, redis: true });
    b = await startTestApp({ database, redis: true });
    await Promise.all([a.context.cache.ready(), b.context.cache.ready()]);
    root = await signUp(a.url, 'Root');
    const boot = await promoteVerifiedToSystemAdmin(a.context, root);
    expect(boot.status).toBe('assigned');
    systemRoleId = (await repos().roles.findByName(SYSTEM_ADMIN_ROLE.name))!.id;
    starRoleId = (await repos().roles.create({ name: 'star', permissions: ['*:*'] })).id; // not a system role, nobody holds it
    readerRoleId = (await repos().roles.create({ name: 'reader', permissions: ['users:read'] })).id;
    ({ user: manager, roleId: managerRoleId } = await holding('role-manager', ['roles:manage', 'roles:read', 'roles:assign']));
    ({ user: userAdmin } = await holding('user-admin', ['users:manage', 'users:read']));
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  it('a role manager cannot seize *:* by deactivating a *:* role, re-parenting under it and re-activating it', async () => {
    const off = await auth(a, '/roles/update', { roleId: starRoleId, isActive: false }, manager);
    expect(off.status).toBe(403);
    expect(off.body).toMatchObject({ code: 'ROLE_ESCALATION', missing: ['*:*'] });
    expect((await repos().roles.findById(starRoleId))!.isActive).toBe(true);
    // Even when the *:* role is already inactive it counts as holding what it would hold re-activated.
    await repos().roles.update(starRoleId, { isActive: false });
    const under = await auth(b, '/roles/update', { roleId: managerRoleId, parentRoleId: starRoleId }, manager);
    expect(under.status).toBe(403);
    expect(under.body).toMatchObject({ code: 'ROLE_ESCALATION', missing: ['*:*'] });
    const on = await auth(a, '/roles/update', { roleId: starRoleId, isActive: true }, manager);
    expect(on.status).toBe(403);
    expect(on.body).toMatchObject({ code: 'ROLE_ESCALATION' });
    expect(await repos().roles.findById(starRoleId)).toMatchObject({ isActive: false });
    expect(await repos().roles.findById(managerRoleId)).toMatchObject({ parentRoleId: null });
    const mine = await fetch(`${b.url}/api/auth/roles/my-permissions`, { headers: { cookie: manager.cookie } });
    expect(((await mine.json()) as { permissions: string[] }).permissions.sort()).toEqual(['roles:assign', 'roles:manage', 'roles:read']);
    await repos().roles.update(starRoleId, { isActive: true });
  });

  it('system roles change only for *:* holders: no deactivating, expiring or stripping the system admin role', async () => {
    const version = (await repos().roles.findById(systemRoleId))!.version;
    for (const [path, body] of [
      ['/roles/update', { roleId: systemRoleId, isActive: false }],
      ['/roles/update', { roleId: systemRoleId, expiresAt: new Date(Date.now() + 60_000).toISOString() }],
      ['/roles/remove-permissions', { roleId: systemRoleId, permissions: ['*:*'] }],
      ['/roles/delete', { roleId: systemRoleId }],
    ] as const) {
      const res = await auth(a, path, body, manager);
      expect({ path, status: res.status, code: res.body['code'] }).toEqual({ path, status: 403, code: 'SYSTEM_ROLE' });
    }
    expect(await repos().roles.findById(systemRoleId)).toMatchObject({ isActive: true, expiresAt: null, version });
    expect(await repos().roles.getEffectivePermissions(systemRoleId)).toEqual(['*:*']);
    // The admin still gets in, on the other instance too.
    expect((await fetch(`${b.url}/api/admin/users/stats`, { headers: { cookie: root.cookie } })).status).toBe(200);
  });

  it('roles:assign cannot strip the super-admin of their role (the role taken away is checked too)', async () => {
    const strip = await auth(b, '/roles/assign', { userId: root.id, roleId: null }, manager);
    expect(strip.status).toBe(403);
    expect(strip.body).toMatchObject({ code: 'TARGET_OUTRANKS_ACTOR', message: 'The target user holds permissions you do not hold' });
    expect(strip.body).not.toHaveProperty('missing'); // the target's permissions are not named
    const demote = await auth(a, '/roles/assign', { userId: root.id, roleId: readerRoleId }, manager);
    expect(demote.body).toMatchObject({ code: 'TARGET_OUTRANKS_ACTOR' });
    expect((await userRow(root.id)).roleId).toBe(systemRoleId);
  });

  it('users:manage cannot create a *:* user, nor ban, delete, restore or end the sessions of the super-admin', async () => {
    const headers = { cookie: userAdmin.cookie };
    const email = `made-${Date.now()}@example.com`;
    const made = await admin(a, '/api/admin/users', { email, name: 'Made', roleId: systemRoleId }, headers);
    expect(made.status).toBe(403);
    expect(made.body).toMatchObject({ error: { code: 'ROLE_ESCALATION', missing: ['*:*'] } });
    expect(await repos().users.findByEmail(email)).toBeNull();

    const bystander = await signUp(a.url, 'Bystander');
    const batch = await admin(b, '/api/admin/users/status', { userIds: [bystander.id, root.id], status: 'BANNED', reason: 'coup' }, headers);
    expect(batch.status).toBe(403);
    expect(batch.body).toMatchObject({ error: { code: 'TARGET_OUTRANKS_ACTOR' } });
    // The whole batch is refused: the bystander was not banned either.
    expect(await userRow(bystander.id)).toMatchObject({ status: 'ACTIVE' });
    expect(await userRow(root.id)).toMatchObject({ status: 'ACTIVE', isDeleted: false });

    for (const path of [`/api/admin/users/${root.id}/delete`, `/api/admin/users/${root.id}/restore`, `/api/admin/users/${root.id}/sessions/revoke-all`]) {
      const res = await admin(a, path, {}, headers);
      expect({ path, status: res.status, code: (res.body['error'] as { code?: string })?.code }).toEqual({ path, status: 403, code: 'TARGET_OUTRANKS_ACTOR' });
    }
    const [session] = await repos().sessions.findMany({ where: { userId: root.id, isActive: true } });
    const one = await admin(b, `/api/admin/users/${root.id}/sessions/${session!.id}/revoke`, {}, headers);
    expect(one.status).toBe(403);
    expect(await userRow(root.id)).toMatchObject({ status: 'ACTIVE', isDeleted: false });
    expect(await (await fetch(`${b.url}/api/auth/get-session`, { headers: { cookie: root.cookie } })).json()).toMatchObject({ user: { id: root.id } });
    // A user the actor does outrank is fine.
    expect((await admin(a, '/api/admin/users/status', { userIds: [bystander.id], status: 'INACTIVE' }, headers)).status).toBe(200);
  });

  it('a key caller acts with its grant ∩ its owner: a *:* owner with a users:manage key outranks nobody who holds more', async () => {
    const created = await postJson(`${a.url}/api/auth/api-key/create`, { name: 'ops', scopes: ['users:manage'] }, { cookie: root.cookie });
    const key = created.body['key'] as string;
    const { user: reader } = await holding('key-target', ['users:read']);
    const plain = await signUp(a.url, 'Key plain');
    const refused = await admin(b, '/api/admin/users/status', { userIds: [reader.id], status: 'BANNED' }, { 'x-api-key': key });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'TARGET_OUTRANKS_ACTOR' } });
    expect(await userRow(reader.id)).toMatchObject({ status: 'ACTIVE' });
    const made = await admin(a, '/api/admin/users', { email: `k-${Date.now()}@example.com`, name: 'K', roleId: readerRoleId }, { 'x-api-key': key });
    expect(made.body).toMatchObject({ error: { code: 'ROLE_ESCALATION', missing: ['users:read'] } });
    expect((await admin(a, '/api/admin/users/status', { userIds: [plain.id], status: 'BANNED' }, { 'x-api-key': key })).status).toBe(200);
  });

  it('roles:escalate is the one bypass of containment, each use audited; it never bypasses LAST_ADMIN', async () => {
    const { user: escalator } = await holding('escalator', ['roles:assign', 'roles:escalate']);
    const promoted = await signUp(a.url, 'Promoted');
    const ok = await auth(b, '/roles/assign', { userId: promoted.id, roleId: starRoleId, reason: 'break glass' }, escalator);
    expect(ok.status).toBe(200);
    expect((await userRow(promoted.id)).roleId).toBe(starRoleId);
    const audit = await repos().events.query({ userId: escalator.id, eventType: ESCALATION_BYPASS_EVENT });
    expect(audit.map((e) => e.metadata)).toEqual([expect.objectContaining({ action: 'user.role', bypassed: 'ROLE_ESCALATION', missing: ['*:*'], roleId: starRoleId, targetUserIds: [promoted.id] })]);

    const last = await auth(a, '/roles/assign', { userId: root.id, roleId: null }, escalator);
    expect(last.status).toBe(403);
    expect(last.body).toMatchObject({ code: 'LAST_ADMIN' });
    expect((await userRow(root.id)).roleId).toBe(systemRoleId);
    expect(await repos().events.query({ userId: escalator.id, eventType: ESCALATION_BYPASS_EVENT })).toHaveLength(1); // a refused change records no bypass
  });

  it('the last active system admin cannot be banned, deleted, demoted or have the admin role deactivated — not even by themselves', async () => {
    const headers = { cookie: root.cookie };
    const ban = await admin(a, '/api/admin/users/status', { userIds: [root.id], status: 'BANNED' }, headers);
    expect(ban.status).toBe(403);
    expect(ban.body).toMatchObject({ error: { code: 'LAST_ADMIN' } });
    expect((await admin(b, `/api/admin/users/${root.id}/delete`, {}, headers)).body).toMatchObject({ error: { code: 'LAST_ADMIN' } });
    expect((await auth(a, '/roles/assign', { userId: root.id, roleId: null }, root)).body).toMatchObject({ code: 'LAST_ADMIN' });
    expect((await auth(b, '/roles/update', { roleId: systemRoleId, isActive: false }, root)).body).toMatchObject({ code: 'LAST_ADMIN' });
    expect((await auth(a, '/roles/remove-permissions', { roleId: systemRoleId, permissions: ['*:*'] }, root)).body).toMatchObject({ code: 'LAST_ADMIN' });
    expect(await userRow(root.id)).toMatchObject({ status: 'ACTIVE', isDeleted: false, roleId: systemRoleId });
    expect(await repos().roles.findById(systemRoleId)).toMatchObject({ isActive: true });

    // With a second admin, one of them may step down.
    const second = await signUp(a.url, 'Second admin');
    await repos().users.updateRole(second.id, systemRoleId, 'test');
    expect((await auth(a, '/roles/assign', { userId: second.id, roleId: null }, root)).status).toBe(200);
    expect((await userRow(second.id)).roleId).toBeNull();
  });
});
