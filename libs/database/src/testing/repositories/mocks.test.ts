import { isRepositoryError, RepositoryError } from '../../errors/RepositoryError';
import { createMockRepositories } from './createMockRepositories';
import type { IUserRepository } from '../../postgress/repositories/interfaces';
import {
  AccountRepository,
  ApiKeyRepository,
  RoleRepository,
  SessionRepository,
  StoreRepository,
  UserEventRepository,
  UserRepository,
  VerificationRepository,
} from '../../postgress/repositories';

/** BaseRepository's protected helpers: the repositories' machinery, not their API. */
const PROTECTED = new Set(['afterWrite', 'announce', 'cached', 'executeOperation', 'lagTolerant', 'onBulkChanged', 'onChanged', 'scope', 'toCreateData', 'toUpdateData']);

function methodsOf(prototype: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const name of Object.getOwnPropertyNames(p)) if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(p, name)?.value === 'function') names.add(name);
  }
  return [...names].filter((name) => !PROTECTED.has(name)).sort();
}

describe('createMockRepositories', () => {
  it('keeps the fakes in step with the repositories: every public method of each repository exists on its fake', () => {
    // Compile time as well: a fake missing a repository method does not satisfy the interface.
    // @ts-expect-error findByEmail alone is not an IUserRepository
    const incomplete: IUserRepository = { findByEmail: async () => null };
    void incomplete;
    const fakes = createMockRepositories() as unknown as Record<string, Record<string, unknown>>;
    const real = { users: UserRepository, sessions: SessionRepository, apiKeys: ApiKeyRepository, roles: RoleRepository, stores: StoreRepository, events: UserEventRepository, accounts: AccountRepository, verifications: VerificationRepository };
    for (const [name, repository] of Object.entries(real)) {
      const methods = methodsOf(repository.prototype as object);
      expect(methods.length).toBeGreaterThan(3);
      expect({ name, missing: methods.filter((m) => typeof fakes[name]![m] !== 'function') }).toEqual({ name, missing: [] });
    }
  });

  it('users: validation, uniqueness, soft delete, role and status with audit entries, stats', async () => {
    const { users, roles } = createMockRepositories();
    const role = await roles.create({ name: 'role-1' });
    const ada = await users.create({ email: 'ada@example.com', username: 'ada' });
    expect(ada).toMatchObject({ email: 'ada@example.com', name: 'ada', status: 'ACTIVE', isDeleted: false });
    expect(isRepositoryError(await users.create({ email: 'ada@example.com' }).catch((e: unknown) => e), 'UNIQUE_VIOLATION')).toBe(true);
    expect(isRepositoryError(await users.create({ email: 'bad' }).catch((e: unknown) => e), 'VALIDATION')).toBe(true);
    const withRole = await users.updateRole(ada.id, role.id, 'admin');
    expect(withRole.auditLog).toEqual([expect.objectContaining({ action: 'ROLE_CHANGED', from: null, to: role.id })]);
    expect(await users.findByRole(role.id)).toHaveLength(1);
    expect(await users.batchUpdateStatus([ada.id], 'BANNED', 'mod', 'spam')).toBe(1);
    await users.softDelete(ada.id, 'admin');
    expect(await users.findByEmail('ada@example.com')).toBeNull();
    expect(await users.findByEmail('ada@example.com', { includeDeleted: true })).not.toBeNull();
    await users.restore(ada.id, 'admin');
    expect((await users.updateLastLogin(ada.id)).loginCount).toBe(1);
    expect((await users.getUserStats()).byStatus.ACTIVE).toBe(1);
    expect((await users.paginate({ pageSize: 10 })).total).toBe(1);
  });

  it('users: transactions roll back, failures can be injected, calls are recorded', async () => {
    const { users } = createMockRepositories();
    await expect(
      users.transaction(async (repo) => {
        await repo.create({ email: 'tx@example.com' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await users.count()).toBe(0);
    users.failNext('findByEmail', new RepositoryError('CIRCUIT_OPEN', 'open', { operation: 'user.findByEmail', retryAfterMs: 1_000 }));
    expect(isRepositoryError(await users.findByEmail('x@example.com').catch((e: unknown) => e), 'CIRCUIT_OPEN')).toBe(true);
    expect(await users.findByEmail('x@example.com')).toBeNull();
    expect(users.calls.map((c) => c.method)).toContain('findByEmail');
  });

  it('sessions, API keys, roles, events, accounts and verifications behave like the real ones', async () => {
    const repos = createMockRepositories();
    const u1 = (await repos.users.create({ email: 'u1@example.com' })).id;
    const s = await repos.sessions.create({ userId: u1, token: 't'.repeat(32), expiresAt: new Date(Date.now() + 60_000) });
    expect(await repos.sessions.findActiveByToken('t'.repeat(32))).toMatchObject({ id: s.id });
    await repos.sessions.end(s.id);
    expect(await repos.sessions.findActiveByToken('t'.repeat(32))).toBeNull();
    expect((await repos.sessions.getLogs(s.id)).map((l) => l.action)).toEqual(['CREATED', 'ENDED']);

    const { apiKey, plainKey } = await repos.apiKeys.createKey({ name: 'k', userId: u1, scopes: ['read'] });
    expect(await repos.apiKeys.findPresented(plainKey)).toMatchObject({ apiKey: { id: apiKey.id, scopes: ['read'] } });
    const forged = plainKey.slice(0, -1) + (plainKey.endsWith('a') ? 'b' : 'a');
    expect(await repos.apiKeys.findPresented(forged)).toEqual({ apiKey: null, reason: 'NOT_FOUND' });
    repos.apiKeys.recordUse(apiKey.id);
    await repos.apiKeys.flushUsage();
    expect((await repos.apiKeys.findById(apiKey.id))?.usageCount).toBe(1);
    await repos.apiKeys.revoke(apiKey.id, 'admin');
    expect(await repos.apiKeys.findPresented(plainKey)).toMatchObject({ apiKey: { status: 'REVOKED', isActive: false } });

    const parent = await repos.roles.create({ name: 'viewer', permissions: ['users:read'] });
    const child = await repos.roles.create({ name: 'editor', parentRoleId: parent.id, permissions: ['users:write'] });
    expect(await repos.roles.getEffectivePermissions(child.id)).toEqual(['users:read', 'users:write']);
    expect(isRepositoryError(await repos.roles.setParent(parent.id, child.id).catch((e: unknown) => e), 'VALIDATION')).toBe(true);

    await repos.events.appendMany([{ userId: u1, eventType: 'login' }, { userId: u1, eventType: 'view' }]);
    expect(await repos.events.countByType(u1)).toEqual({ login: 1, view: 1 });

    await repos.accounts.create({ userId: u1, providerId: 'credential', accountId: 'u1' });
    expect(await repos.accounts.findByProvider('credential', 'u1')).not.toBeNull();
    await repos.verifications.create({ identifier: 'e', value: 'v', expiresAt: new Date(Date.now() + 1_000) });
    expect((await repos.verifications.findValid('e'))?.value).toBe('v');
  });
});

describe('MockUserRepository.withAdminChangeLock (the in-memory twin of the advisory lock)', () => {
  it('runs changes one at a time and rolls the users back when one throws', async () => {
    const { users, roles } = createMockRepositories();
    const u = await users.create({ email: 'twin@example.com' });
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = users.withAdminChangeLock([roles], async (locked, lockedRoles) => {
      expect(lockedRoles).toBe(roles);
      order.push('first in');
      await gate;
      await locked.batchUpdateStatus([u.id], 'BANNED', 'first');
      order.push('first out');
    });
    const second = users.withAdminChangeLock([], async (locked) => {
      order.push(`second in, sees ${(await locked.findById(u.id))?.status}`);
    });
    // The second waits on the first's promise, not on time: it cannot start before the release.
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['first in']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in, sees BANNED']);

    await expect(users.withAdminChangeLock([], async (locked) => {
      await locked.batchUpdateStatus([u.id], 'ACTIVE', 'test');
      throw new Error('refused');
    })).rejects.toThrow('refused');
    expect((await users.findById(u.id))?.status).toBe('BANNED');
  });
});
