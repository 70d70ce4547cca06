import { isRepositoryError, type RepositoryError } from '../../errors/RepositoryError';
import type { AuditLogEntry } from '../../models';
import { FakeCache } from '../../testing/FakeCache';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { BaseRepository } from './base';
import { UserRepository } from './user';

describe('UserRepository', () => {
  let t: MigratedTestDatabase;
  let users: UserRepository;
  let cache: FakeCache;
  let adminRole: string;
  let staffRole: string;

  beforeAll(async () => {
    t = await migratedTestDatabase('users');
    cache = new FakeCache();
    users = new UserRepository({ db: t.client, cache, retry: { breakerKey: 'user-test' } });
    const roles = new BaseRepository<{ id: string }>({ db: t.client }, { model: 'role' });
    adminRole = (await roles.create({ name: 'admin' })).id;
    staffRole = (await roles.create({ name: 'staff' })).id;
  });
  afterAll(() => t.close());

  it('creates with the email as given (Better-Auth lowercases it first), audit fields and role assignment', async () => {
    const user = await users.create({ email: 'ada@example.com', firstName: 'Ada', lastName: 'L', username: 'Ada', roleId: adminRole, createdBy: 'admin-1' });
    expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada L', username: 'ada', status: 'ACTIVE', createdBy: 'admin-1', updatedBy: 'admin-1', roleAssignedBy: 'admin-1', auditLog: [] });
    expect(user.roleAssignedAt).toBeInstanceOf(Date);
    expect(await users.findByEmail('ADA@example.com ')).toMatchObject({ id: user.id });
    expect(await users.findByUsername('ADA')).toMatchObject({ id: user.id });
  });

  it('names the field of a unique violation', async () => {
    const error = (await users.create({ email: 'ada@example.com' }).catch((e: unknown) => e)) as RepositoryError;
    expect(error.code).toBe('UNIQUE_VIOLATION');
    expect(error.fields).toEqual(['email']);
    const byName = (await users.create({ email: 'other@example.com', username: 'ada' }).catch((e: unknown) => e)) as RepositoryError;
    expect(byName.fields).toEqual(['username']);
  });

  it('serves findById and findByEmail from the cache with Dates revived, and invalidates on write', async () => {
    const user = await users.create({ email: 'cache@example.com' });
    const loads = cache.loads;
    const first = await users.findById(user.id);
    const second = await users.findById(user.id);
    expect(cache.loads).toBe(loads + 1);
    expect(second).toEqual(first);
    expect(second?.createdAt).toBeInstanceOf(Date);
    await users.update(user.id, { firstName: 'Changed', updatedBy: 'me' });
    expect((await users.findById(user.id))?.firstName).toBe('Changed');
    // A cached miss is dropped when the row appears.
    expect(await users.findByEmail('later@example.com')).toBeNull();
    await users.create({ email: 'later@example.com' });
    expect(await users.findByEmail('later@example.com')).not.toBeNull();
  });

  it('a status change drops the cached row by email too (a ban is seen through findByEmail at once)', async () => {
    const user = await users.create({ email: 'by-email@example.com' });
    expect((await users.findByEmail('by-email@example.com'))?.status).toBe('ACTIVE');
    await users.batchUpdateStatus([user.id], 'BANNED', 'mod', { banExpiresAt: new Date(Date.now() - 1) });
    expect((await users.findByEmail('by-email@example.com'))?.status).toBe('BANNED');
    expect(await users.liftLapsedBan(user.id)).toBe(true);
    expect((await users.findByEmail('by-email@example.com'))?.status).toBe('ACTIVE');
    expect(await users.liftLapsedBan(user.id)).toBe(false);
  });

  it('updates roles with expiry and appends the audit log atomically', async () => {
    const user = await users.create({ email: 'role@example.com' });
    const expiresAt = new Date(Date.now() + 60_000);
    const withRole = await users.updateRole(user.id, staffRole, 'admin-1', { expiresAt, reason: 'promotion' });
    expect(withRole).toMatchObject({ roleId: staffRole, roleAssignedBy: 'admin-1', updatedBy: 'admin-1' });
    expect(withRole.roleExpiresAt?.getTime()).toBe(expiresAt.getTime());
    const changed = await users.updateRole(user.id, adminRole, 'admin-2');
    const log = changed.auditLog as unknown as AuditLogEntry[];
    expect(log.map((e) => [e.action, e.from, e.to, e.by])).toEqual([
      ['ROLE_CHANGED', null, staffRole, 'admin-1'],
      ['ROLE_CHANGED', staffRole, adminRole, 'admin-2'],
    ]);
    expect(log[0].reason).toBe('promotion');
    expect(isRepositoryError(await users.updateRole('nope', adminRole, 'x').catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
    expect(isRepositoryError(await users.updateRole(user.id, 'no-role', 'x').catch((e: unknown) => e), 'FOREIGN_KEY')).toBe(true);
  });

  it('finds by role, ignoring expired assignments', async () => {
    const current = await users.create({ email: 'current@example.com' });
    const expired = await users.create({ email: 'expired@example.com' });
    await users.updateRole(current.id, staffRole, 'x');
    await users.updateRole(expired.id, staffRole, 'x', { expiresAt: new Date(Date.now() - 1_000) });
    const ids = (await users.findByRole(staffRole)).map((u) => u.id);
    expect(ids).toContain(current.id);
    expect(ids).not.toContain(expired.id);
  });

  it('soft-deletes (hidden from finders) and restores', async () => {
    const user = await users.create({ email: 'gone@example.com', username: 'gone' });
    await users.findById(user.id); // cached
    const deleted = await users.softDelete(user.id, 'admin-1');
    expect(deleted).toMatchObject({ isDeleted: true, status: 'DELETED', deletedBy: 'admin-1' });
    expect(await users.findById(user.id)).toBeNull();
    expect(await users.findByEmail('gone@example.com')).toBeNull();
    expect(await users.findByUsername('gone')).toBeNull();
    expect(await users.count({ email: 'gone@example.com' })).toBe(0);
    expect(await users.findById(user.id, { includeDeleted: true })).toMatchObject({ id: user.id });
    expect(await users.findByEmail('gone@example.com', { includeDeleted: true })).toMatchObject({ id: user.id });
    expect(isRepositoryError(await users.softDelete(user.id, 'x').catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
    const restored = await users.restore(user.id, 'admin-2');
    expect(restored).toMatchObject({ isDeleted: false, status: 'ACTIVE', deletedAt: null });
    expect((restored.auditLog as unknown as AuditLogEntry[]).map((e) => e.action)).toEqual(['SOFT_DELETED', 'RESTORED']);
    expect(await users.findById(user.id)).not.toBeNull();
  });

  it('records sign-ins', async () => {
    const user = await users.create({ email: 'login@example.com' });
    await users.updateLastLogin(user.id);
    const after = await users.updateLastLogin(user.id);
    expect(after.loginCount).toBe(2);
    expect(after.lastLoginAt).toBeInstanceOf(Date);
  });

  it('bans in batch with audit entries and drops cached users', async () => {
    const a = await users.create({ email: 'ban-a@example.com' });
    const b = await users.create({ email: 'ban-b@example.com' });
    await users.findById(a.id);
    expect(await users.batchUpdateStatus([a.id, b.id, 'missing'], 'BANNED', 'mod-1', 'spam')).toBe(2);
    const banned = await users.findById(a.id);
    expect(banned).toMatchObject({ status: 'BANNED', banReason: 'spam' });
    expect(banned?.bannedAt).toBeInstanceOf(Date);
    expect((banned?.auditLog as unknown as AuditLogEntry[]).at(-1)).toMatchObject({ action: 'STATUS_CHANGED', from: 'ACTIVE', to: 'BANNED', by: 'mod-1' });
    expect(await users.batchUpdateStatus([a.id], 'BANNED', 'mod-1')).toBe(0);
    expect(isRepositoryError(await users.batchUpdateStatus([a.id], 'NOPE' as never, 'x').catch((e: unknown) => e), 'VALIDATION')).toBe(true);
  });

  it('computes stats in one statement', async () => {
    const stats = await users.getUserStats({ newUsersDays: 7 });
    const total = await users.count(undefined, { includeDeleted: true });
    expect(stats.total).toBe(total);
    expect(Object.values(stats.byStatus).reduce((a, b) => a + b, 0)).toBe(total);
    expect(stats.byStatus.BANNED).toBe(2);
    expect(stats.byRole[adminRole]).toBeGreaterThanOrEqual(1);
    expect(stats.newUsers).toBe(total - stats.deleted);
  });

  it('runs the seed’s Example 2 atomically: create + updateRole in one transaction', async () => {
    const createUserWithRole = (userData: { email: string }, roleId: string) =>
      users.transaction(async (repo) => {
        const user = await repo.create(userData);
        return repo.updateRole(user.id, roleId, 'system');
      });
    const user = await createUserWithRole({ email: 'example2@example.com' }, adminRole);
    expect(user).toMatchObject({ roleId: adminRole, roleAssignedBy: 'system' });
    // A failing second step leaves no user behind.
    const failed = await createUserWithRole({ email: 'example2-fail@example.com' }, 'no-such-role').catch((e: unknown) => e);
    expect(isRepositoryError(failed, 'FOREIGN_KEY')).toBe(true);
    expect(await users.findByEmail('example2-fail@example.com', { includeDeleted: true })).toBeNull();
  });
});

describe('UserRepository.update with a status and deleteMany', () => {
  let t: MigratedTestDatabase;
  beforeAll(async () => {
    t = await migratedTestDatabase('users_status');
  });
  afterAll(() => t.close());

  it('audits a status change made through update, atomically with the other fields', async () => {
    const users = new UserRepository({ db: t.client });
    const u = await users.create({ email: 'st@example.com' });
    const banned = await users.update(u.id, { status: 'BANNED', banReason: 'abuse', firstName: 'X', updatedBy: 'mod' });
    expect(banned).toMatchObject({ status: 'BANNED', banReason: 'abuse', firstName: 'X', updatedBy: 'mod' });
    expect((banned.auditLog as unknown as AuditLogEntry[]).map((e) => [e.action, e.from, e.to, e.by])).toEqual([['STATUS_CHANGED', 'ACTIVE', 'BANNED', 'mod']]);
    expect(isRepositoryError(await users.update('missing', { status: 'ACTIVE' }).catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
    expect(await users.deleteMany({ email: 'st@example.com' })).toBe(1);
    expect(await users.count(undefined, { includeDeleted: true })).toBe(0);
  });
});
