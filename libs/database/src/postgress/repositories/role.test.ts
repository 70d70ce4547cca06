import { isRepositoryError, type RepositoryError } from '../../errors/RepositoryError';
import { FakeCache } from '../../testing/FakeCache';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { RoleRepository } from './role';
import { UserEventRepository } from './userEvent';
import { UserRepository } from './user';

describe('RoleRepository', () => {
  let t: MigratedTestDatabase;
  let roles: RoleRepository;
  let cache: FakeCache;

  beforeAll(async () => {
    t = await migratedTestDatabase('roles');
    cache = new FakeCache();
    roles = new RoleRepository({ db: t.client, cache });
  });
  afterAll(() => t.close());

  it('inherits permissions from ancestors in one query, honouring expiry', async () => {
    const base = await roles.create({ name: 'viewer', permissions: ['users:read', 'orders:read'] });
    const mid = await roles.create({ name: 'editor', parentRoleId: base.id, permissions: ['orders:write'] });
    const top = await roles.create({ name: 'manager', parentRoleId: mid.id, permissions: ['users:*'] });
    expect(await roles.getEffectivePermissions(top.id)).toEqual(['orders:read', 'orders:write', 'users:*', 'users:read']);
    expect(await roles.getEffectivePermissions(base.id)).toEqual(['orders:read', 'users:read']);
    // Whether a permission is held is the access core's decision (permissionGrants, conditions); here: the rows it reads, the wildcard inherited only downwards.
    expect(await roles.getEffectivePermissions(mid.id)).toEqual(['orders:read', 'orders:write', 'users:read']);

    // An expired ancestor stops inheritance through it; an expired permission is dropped.
    await roles.update(mid.id, { expiresAt: new Date(Date.now() - 1_000) });
    expect(await roles.getEffectivePermissions(top.id)).toEqual(['users:*']);
    await roles.update(mid.id, { expiresAt: null });
    await roles.addPermissions(top.id, ['reports:read'], { expiresAt: new Date(Date.now() - 1_000) });
    expect(await roles.getEffectivePermissions(top.id)).not.toContain('reports:read');
  });

  it('refuses cycles and bumps the version on every change', async () => {
    const a = await roles.create({ name: 'a' });
    const b = await roles.create({ name: 'b', parentRoleId: a.id });
    const c = await roles.create({ name: 'c', parentRoleId: b.id });
    const error = (await roles.setParent(a.id, c.id).catch((e: unknown) => e)) as RepositoryError;
    expect(error.code).toBe('VALIDATION');
    expect(error.fields).toEqual(['parentRoleId']);
    expect(isRepositoryError(await roles.setParent(a.id, a.id).catch((e: unknown) => e), 'VALIDATION')).toBe(true);
    // Concurrent re-parenting in opposite directions: at most one wins, no cycle forms.
    const d = await roles.create({ name: 'd' });
    const e = await roles.create({ name: 'e' });
    const outcomes = await Promise.allSettled([roles.setParent(d.id, e.id), roles.setParent(e.id, d.id)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);

    const v1 = (await roles.findById(a.id))!.version;
    await roles.update(a.id, { description: 'x' });
    await roles.addPermissions(a.id, ['x:read', 'x:read']);
    const after = await roles.removePermissions(a.id, ['x:read']);
    expect(after.version).toBe(v1 + 3);
    expect(await roles.findChildren(a.id)).toEqual([expect.objectContaining({ id: b.id })]);
    expect((await roles.findByName('c'))?.id).toBe(c.id);
  });

  it('caches effective permissions and drops them on any role change', async () => {
    const r = await roles.create({ name: 'cached', permissions: ['a:read'] });
    await roles.getEffectivePermissions(r.id);
    const loads = cache.loads;
    await roles.getEffectivePermissions(r.id);
    expect(cache.loads).toBe(loads);
    await roles.addPermissions(r.id, ['a:write']);
    expect(await roles.getEffectivePermissions(r.id)).toEqual(['a:read', 'a:write']);
  });

  it('resolves a user’s permissions, honouring the user’s role expiry', async () => {
    const users = new UserRepository({ db: t.client, cache });
    const r = await roles.create({ name: 'support', permissions: ['tickets:read'] });
    const u = await users.create({ email: 'perm@example.com' });
    expect(await roles.getUserPermissions(u.id)).toEqual([]);
    await users.updateRole(u.id, r.id, 'admin');
    expect(await roles.getUserPermissions(u.id)).toEqual(['tickets:read']);
    await users.updateRole(u.id, r.id, 'admin', { expiresAt: new Date(Date.now() - 1_000) });
    expect(await roles.getUserPermissions(u.id)).toEqual([]);
  });

  it('validates permission strings', async () => {
    expect(isRepositoryError(await roles.create({ name: 'bad', permissions: ['nocolon'] }).catch((e: unknown) => e), 'VALIDATION')).toBe(true);
  });
});

describe('UserEventRepository', () => {
  let t: MigratedTestDatabase;
  let events: UserEventRepository;
  let userId: string;

  beforeAll(async () => {
    t = await migratedTestDatabase('events');
    events = new UserEventRepository({ db: t.client });
    userId = (await new UserRepository({ db: t.client }).create({ email: 'ev@example.com' })).id;
  });
  afterAll(() => t.close());

  it('appends, batch-inserts and queries by user, type and time range', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const at = (min: number) => new Date(t0.getTime() + min * 60_000);
    await events.append({ userId, eventType: 'login', timestamp: at(0), ipAddress: '1.2.3.4' });
    expect(await events.appendMany([1, 2, 3, 4].map((i) => ({ userId, eventType: i % 2 ? 'page_view' : 'error', timestamp: at(i), isError: i % 2 === 0, pageUrl: `https://app.example/p${i}` })))).toBe(4);
    expect((await events.query({ userId })).map((e) => e.eventType)).toEqual(['error', 'page_view', 'error', 'page_view', 'login']);
    expect(await events.query({ userId, eventType: 'page_view', order: 'asc' })).toHaveLength(2);
    expect(await events.query({ userId, eventType: ['login', 'error'] })).toHaveLength(3);
    expect(await events.query({ userId, from: at(1), to: at(3) })).toHaveLength(2);
    expect(await events.query({ userId, isError: true })).toHaveLength(2);
    expect(await events.countByType(userId)).toEqual({ login: 1, page_view: 2, error: 2 });
    expect(await events.deleteOlderThan(at(2))).toBe(2);
  });

  it('rejects invalid events before any query', async () => {
    expect(isRepositoryError(await events.append({ userId, eventType: '', pageUrl: 'not a url' }).catch((e: unknown) => e), 'VALIDATION')).toBe(true);
  });
});
