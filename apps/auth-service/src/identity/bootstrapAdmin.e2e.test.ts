import type { TestDatabase } from '@tools/test-harness';
import { migratedDatabase, startTestApp, type TestApp } from '../testing/testApp';
import { postJson, signUp } from '../features/betterAuth/testing/users';
import { runBootstrapAdmin, startBootstrapAdmin } from '../bootstrap';
import { PROVISIONED_BY_KEY, SYSTEM_ADMIN_ROLE } from './bootstrapAdmin';

const ATTACKER_PASSWORD = 'attacker chosen password';
const BOOTSTRAP_PASSWORD = 'operator bootstrap password';

describe('bootstrap admin: BOOTSTRAP_ADMIN_EMAIL cannot be hijacked by signing up first', () => {
  let database: TestDatabase;
  let t: TestApp;
  let n = 0;
  const email = () => `boot-${Date.now()}-${++n}@example.com`;
  const signUpAs = async (address: string) => {
    const res = await postJson(`${t.url}/api/auth/sign-up/email`, { email: address, password: ATTACKER_PASSWORD, name: 'Someone' });
    expect(res.status).toBe(200);
    return (await t.context.repositories.users.findByEmail(address))!;
  };
  /** What a start with BOOTSTRAP_ADMIN_* set does, on an instance configured with them. */
  const startInstance = async (env: Record<string, string>) => {
    const instance = await startTestApp({ database, env });
    const loop = startBootstrapAdmin(instance.context, instance.app.log)!;
    const result = await loop.done;
    return { instance, result };
  };
  const roleId = async () => (await t.context.repositories.roles.findByName(SYSTEM_ADMIN_ROLE.name))!.id;
  const events = (userId: string, eventType: string) => t.context.repositories.events.query({ userId, eventType });

  beforeAll(async () => {
    database = await migratedDatabase('bootstrap');
    t = await startTestApp({ database });
  });
  afterEach(async () => {
    // Each case starts with no system admin (expired assignments included) and a live system-admin role.
    const { roles, users } = t.context.repositories;
    const role = await roles.findByName(SYSTEM_ADMIN_ROLE.name);
    if (!role) return;
    for (const holder of await users.findMany({ where: { roleId: role.id } })) await users.updateRole(holder.id, null, 'test');
    await roles.update(role.id, { isActive: true, expiresAt: null });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('an account somebody signed up with the address first is not promoted; a warn names the reason, nothing changes', async () => {
    const address = email();
    const squatter = await signUpAs(address);
    const { instance, result } = await startInstance({ BOOTSTRAP_ADMIN_EMAIL: address, BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_PASSWORD });
    try {
      expect(result?.status).toBe('unverified-account');
      const after = await t.context.repositories.users.findById(squatter.id);
      expect(after).toMatchObject({ roleId: null, emailVerified: false });
      expect(after!.metadata).toEqual(squatter.metadata);
      const line = instance.logs.map((l) => JSON.parse(l) as { level: number; msg: string; reason?: string }).find((l) => l.msg.startsWith('bootstrap admin refused'));
      expect(line).toMatchObject({ level: 40, reason: 'unverified-account' });
      expect(instance.logs.join('\n')).not.toContain(BOOTSTRAP_PASSWORD);
      expect(await events(squatter.id, 'BOOTSTRAP_REFUSED')).toHaveLength(1);
      expect(await events(squatter.id, 'ROLE_ASSIGNED')).toHaveLength(0);
      // The squatter's password still works, the operator's does not: the account was not taken over either.
      expect((await postJson(`${t.url}/api/auth/sign-in/email`, { email: address, password: BOOTSTRAP_PASSWORD })).status).toBe(401);
    } finally {
      await instance.close();
    }
  });

  it('a verified account is promoted once, however many instances start', async () => {
    const address = email();
    const owner = await signUpAs(address);
    await t.context.repositories.users.update(owner.id, { emailVerified: true });
    const first = await startInstance({ BOOTSTRAP_ADMIN_EMAIL: address });
    const second = await startInstance({ BOOTSTRAP_ADMIN_EMAIL: address });
    try {
      expect(first.result?.status).toBe('assigned');
      expect(second.result?.status).toBe('already-admin');
      expect((await t.context.repositories.users.findById(owner.id))?.roleId).toBe(await roleId());
      expect(await events(owner.id, 'ROLE_ASSIGNED')).toHaveLength(1);
    } finally {
      await first.instance.close();
      await second.instance.close();
    }
  });

  it('the bootstrap creates the user itself when nobody has the address; then, with an admin present, the variable changes nothing', async () => {
    const address = email();
    const { instance, result } = await startInstance({ BOOTSTRAP_ADMIN_EMAIL: address, BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_PASSWORD });
    await instance.close();
    expect(result).toMatchObject({ status: 'assigned', created: true });
    const admin = (await t.context.repositories.users.findByEmail(address))!;
    expect(admin.metadata).toMatchObject({ [PROVISIONED_BY_KEY]: 'bootstrap' });
    expect(await events(admin.id, 'USER_CREATED')).toHaveLength(1);

    const other = await signUpAs(email());
    await t.context.repositories.users.update(other.id, { emailVerified: true });
    const next = await startInstance({ BOOTSTRAP_ADMIN_EMAIL: other.email, BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_PASSWORD });
    await next.instance.close();
    expect(next.result?.status).toBe('admin-exists');
    expect((await t.context.repositories.users.findById(other.id))?.roleId).toBeNull();
    expect(next.instance.logs.some((l) => l.includes('"reason":"admin-exists"'))).toBe(true);
  });

  it('create-admin marks the accounts it makes, refuses an unverified sign-up, and its accounts may be bootstrapped later', async () => {
    const made = email();
    const created = await runBootstrapAdmin(t.context, { email: made, password: BOOTSTRAP_PASSWORD, source: 'create-admin' });
    expect(created).toMatchObject({ status: 'assigned', created: true });
    const user = (await t.context.repositories.users.findByEmail(made))!;
    expect(user.metadata).toMatchObject({ [PROVISIONED_BY_KEY]: 'create-admin' });

    const squatter = await signUpAs(email());
    expect((await runBootstrapAdmin(t.context, { email: squatter.email, password: BOOTSTRAP_PASSWORD, source: 'create-admin' })).status).toBe('unverified-account');
    expect((await t.context.repositories.users.findById(squatter.id))?.roleId).toBeNull();

    // With its role taken away (no active admin left), the env bootstrap may give it back: the operator made it.
    await t.context.repositories.users.updateRole(user.id, null, 'test');
    const { instance, result } = await startInstance({ BOOTSTRAP_ADMIN_EMAIL: made });
    await instance.close();
    expect(result?.status).toBe('assigned');
  });

  const past = () => new Date(Date.now() - 60_000);
  it.each<[string, (admin: { id: string }, roleId: string) => Promise<unknown>]>([
    ['its assignment expired', (admin, role) => t.context.repositories.users.updateRole(admin.id, role, 'test', { expiresAt: past() })],
    ['it was deactivated', (admin) => t.context.repositories.users.update(admin.id, { status: 'INACTIVE' })],
    ['the admin role was deactivated', (_admin, role) => t.context.repositories.roles.update(role, { isActive: false })],
    ['the admin role expired', (_admin, role) => t.context.repositories.roles.update(role, { expiresAt: past() })],
    ["the role's *:* row expired", async (_admin, role) => {
      await t.context.repositories.roles.removePermissions(role, ['*:*']);
      await t.context.repositories.roles.addPermissions(role, ['*:*'], { expiresAt: past() });
    }],
  ])('an admin that can no longer act as one (%s) does not stop a legitimate bootstrap; the new admin can act', async (_case, breakIt) => {
    const former = await signUp(t.url, 'Former admin');
    const { users, roles } = t.context.repositories;
    await users.update(former.id, { emailVerified: true });
    expect((await runBootstrapAdmin(t.context, { email: former.email })).status).toBe('assigned');
    const role = await roleId();
    await breakIt(former, role);
    const stats = (user: { cookie: string }) => fetch(`${t.url}/api/admin/users/stats`, { headers: { cookie: user.cookie } }).then((r) => r.status);
    expect([401, 403]).toContain(await stats(former)); // 401: a deactivated user's session is refused

    const next = await signUp(t.url, 'Next admin');
    await users.update(next.id, { emailVerified: true });
    const { instance, result } = await startInstance({ BOOTSTRAP_ADMIN_EMAIL: next.email });
    await instance.close();
    expect(result?.status).toBe('assigned');
    expect(await users.findById(next.id)).toMatchObject({ roleId: role, roleExpiresAt: null });
    // The role is live again (active, no expiry, a live *:*), and its new holder gets in.
    expect(await roles.findById(role)).toMatchObject({ isActive: true, expiresAt: null });
    expect(await roles.getEffectivePermissions(role)).toEqual(['*:*']);
    expect(await stats(next)).toBe(200);
    expect(await events(next.id, 'ROLE_ASSIGNED')).toHaveLength(1);
  });

  it('a live admin still stops it: expiring later, or holding another live system role with *:*', async () => {
    const { users, roles } = t.context.repositories;
    const current = await signUp(t.url, 'Current admin');
    await users.update(current.id, { emailVerified: true });
    expect((await runBootstrapAdmin(t.context, { email: current.email })).status).toBe('assigned');
    await users.updateRole(current.id, await roleId(), 'test', { expiresAt: new Date(Date.now() + 3_600_000) });
    const other = await signUp(t.url, 'Other');
    await users.update(other.id, { emailVerified: true });
    expect((await runBootstrapAdmin(t.context, { email: other.email })).status).toBe('admin-exists');

    const ops = await roles.create({ name: `ops-root-${Date.now()}`, isSystem: true, permissions: ['*:*'] });
    await users.updateRole(current.id, ops.id, 'test');
    expect((await runBootstrapAdmin(t.context, { email: other.email })).status).toBe('admin-exists');
    expect((await users.findById(other.id))?.roleId).toBeNull();
    await users.updateRole(current.id, null, 'test');
    await roles.update(ops.id, { isActive: false });
  });
});
