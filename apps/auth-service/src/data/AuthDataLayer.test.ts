import { MetricsCollector } from '@libs/monitoring';
import { createDatabaseClient } from '@libs/database';
import type { DatabaseClient } from '@libs/database/types';
import { RoleRepository } from '@libs/database/postgress/repositories';
import type { TestDatabase } from '@tools/test-harness';
import pino from 'pino';
import { createRepositories, type Repositories } from '@libs/better-auth';
import { migratedDatabase } from '../testing/testApp';
import { AuthDataLayer } from './AuthDataLayer';
import { createAccessCore, type AccessCore } from '@libs/better-auth';
import { BackgroundTasks } from '../backgroundTasks';

describe('AuthDataLayer (real Postgres)', () => {
  let database: TestDatabase;
  let db: DatabaseClient;
  let repos: Repositories;
  let layer: AuthDataLayer;
  let access: AccessCore;
  const metrics = new MetricsCollector();

  beforeAll(async () => {
    database = await migratedDatabase('adl');
    db = await createDatabaseClient({ url: database.url });
    repos = createRepositories({ db, metrics });
    const logger = pino({ level: 'silent' });
    access = createAccessCore(repos, { secret: 's'.repeat(32), background: new BackgroundTasks(logger) });
    layer = new AuthDataLayer(repos, metrics, logger);
  });
  afterAll(async () => {
    await db?.disconnect();
    await database?.drop();
  });

  it('creates a user with a role atomically, and rolls both back when the role does not exist', async () => {
    const role = await new RoleRepository({ db }).create({ name: `editor-${Date.now()}` });
    const user = await layer.createUserWithRole({ email: 'adl-ok@example.com', name: 'Ok' }, role.id);
    expect(user.roleId).toBe(role.id);
    expect(user.roleAssignedBy).toBe('system');
    expect((await layer.getUserByEmail('adl-ok@example.com'))?.id).toBe(user.id);

    await expect(layer.createUserWithRole({ email: 'adl-rollback@example.com', name: 'No' }, 'no-such-role')).rejects.toMatchObject({ code: expect.any(String) });
    expect(await layer.getUserByEmail('adl-rollback@example.com')).toBeNull();
  });

  it('updates many users at once (ending their sessions) and reads a session only of a user who may act', async () => {
    const a = await repos.users.create({ email: 'adl-a@example.com', name: 'A' });
    const b = await repos.users.create({ email: 'adl-b@example.com', name: 'B' });
    const tokenA = `tok-a-${Date.now()}`;
    await repos.sessions.create({ userId: a.id, token: tokenA, expiresAt: new Date(Date.now() + 60_000) });
    expect((await access.sessionByToken(tokenA))?.user.id).toBe(a.id);
    expect(await layer.batchUpdateUserStatus([a.id, b.id], 'INACTIVE', { userId: 'admin-1', apiKeyId: 'key-1' }, 'cleanup')).toBe(2);
    const inactive = await repos.users.findById(a.id);
    expect(inactive?.status).toBe('INACTIVE');
    expect(inactive?.updatedBy).toBe('admin-1');
    expect((inactive?.auditLog as unknown[]).at(-1)).toMatchObject({ action: 'STATUS_CHANGED', by: 'admin-1', apiKeyId: 'key-1', from: 'ACTIVE', to: 'INACTIVE', reason: 'cleanup' });
    expect(await access.sessionByToken(tokenA)).toBeNull();
    expect(await repos.sessions.findActiveByUser(a.id)).toEqual([]);

    const c = await repos.users.create({ email: 'adl-c@example.com', name: 'C' });
    const token = `tok-${Date.now()}`;
    await repos.sessions.create({ userId: c.id, token, expiresAt: new Date(Date.now() + 60_000) });
    expect((await access.sessionByToken(token))?.user.id).toBe(c.id);
    expect(await access.sessionByToken('unknown-token')).toBeNull();
  });

  it('DELETED by the batch path is a soft delete that restore undoes', async () => {
    const d = await repos.users.create({ email: 'adl-d@example.com', name: 'D' });
    expect(await layer.batchUpdateUserStatus([d.id], 'DELETED', 'admin-2')).toBe(1);
    const row = await repos.users.findFirst({ where: { id: d.id }, includeDeleted: true });
    expect(row).toMatchObject({ status: 'DELETED', isDeleted: true, deletedBy: 'admin-2' });
    expect(row?.deletedAt).toBeInstanceOf(Date);
    expect(await repos.users.findById(d.id)).toBeNull();
    const restored = await layer.restoreUser(d.id, 'admin-3');
    expect(restored).toMatchObject({ status: 'ACTIVE', isDeleted: false, deletedAt: null, deletedBy: null, updatedBy: 'admin-3' });
  });

  it('validates API keys through its own retry policy and reports metrics', async () => {
    const user = await repos.users.create({ email: 'adl-key@example.com', name: 'K' });
    const created = await repos.apiKeys.create({ userId: user.id, name: 'ci', scopes: ['read'] });
    expect(await layer.validateApiKeyWithRetry(created.plainKey, ['read'])).toMatchObject({ valid: true, userId: user.id });
    expect(await layer.validateApiKeyWithRetry(`${created.plainKey}x`)).toMatchObject({ valid: false });
    const figures = layer.getMetrics();
    expect(figures.repositories.users.operationCount).toBeGreaterThan(0);
    expect(figures.collector.operations['auth.validateApiKey']?.operationCount).toBeGreaterThanOrEqual(2);
  });

  it('judges a found key by the access core: scopes (wildcards), revoked, disabled, expired on the clock, malformed and forged keys; counts the use of a valid one', async () => {
    const user = await repos.users.create({ email: 'adl-judge@example.com', name: 'J' });
    const { apiKey, plainKey } = await repos.apiKeys.createKey({ name: 'judge', userId: user.id, scopes: ['orders:*'] });
    expect(await layer.validateApiKeyWithRetry(plainKey, ['orders:read'])).toMatchObject({ valid: true, userId: user.id, storeId: null, scopes: ['orders:*'], apiKey: { id: apiKey.id } });
    expect(await layer.validateApiKeyWithRetry(plainKey, ['orders:read', 'users:read'])).toMatchObject({ valid: false, reason: 'INSUFFICIENT_SCOPE', missingScopes: ['users:read'], apiKey: { id: apiKey.id } });
    const forged = plainKey.slice(0, -1) + (plainKey.endsWith('a') ? 'b' : 'a');
    expect(await layer.validateApiKeyWithRetry(forged)).toEqual({ valid: false, reason: 'NOT_FOUND' });
    expect(await layer.validateApiKeyWithRetry('sk_nope')).toEqual({ valid: false, reason: 'MALFORMED' });
    await repos.apiKeys.flushUsage();
    expect((await repos.apiKeys.findById(apiKey.id))?.usageCount).toBe(1);

    await repos.apiKeys.update(apiKey.id, { status: 'INACTIVE' });
    expect(await layer.validateApiKeyWithRetry(plainKey)).toMatchObject({ valid: false, reason: 'INACTIVE' });
    await repos.apiKeys.update(apiKey.id, { status: 'ACTIVE' });
    expect(await layer.validateApiKeyWithRetry(plainKey)).toMatchObject({ valid: true });
    await repos.apiKeys.revoke(apiKey.id, 'admin-1', 'leaked');
    expect(await layer.validateApiKeyWithRetry(plainKey)).toMatchObject({ valid: false, reason: 'REVOKED' });

    const expiresAt = new Date(Date.now() + 60_000);
    const expiring = await repos.apiKeys.createKey({ name: 'e', userId: user.id, expiresAt });
    expect(await layer.validateApiKeyWithRetry(expiring.plainKey)).toMatchObject({ valid: true });
    // A minute after expiry by the clock alone (only Date is faked: pg and Prisma keep real timers).
    jest.useFakeTimers({ now: new Date(expiresAt.getTime() + 60_000), doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    try {
      expect(await layer.validateApiKeyWithRetry(expiring.plainKey)).toMatchObject({ valid: false, reason: 'EXPIRED' });
    } finally {
      jest.useRealTimers();
    }
  });
});
