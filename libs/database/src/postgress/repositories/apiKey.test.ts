import { executeWithRetry } from '@libs/utils/src/executeWithRetry';
import { isRepositoryError } from '../../errors/RepositoryError';
import { FakeCache } from '../../testing/FakeCache';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { generateKey, hashKey, keyMatchesHash, parseKeyIdentifier, randomBase62 } from './apiKeyMaterial';
import { ApiKeyRepository } from './apiKey';
import { UserRepository } from './user';

describe('API key material', () => {
  it('generates distinct well-formed keys with a readable prefix and ≥ 128 bits of secret', () => {
    const a = generateKey('sk_live');
    const b = generateKey('sk_live');
    expect(a.plainKey).not.toBe(b.plainKey);
    expect(a.plainKey).toMatch(/^sk_live_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$/);
    expect(43 * Math.log2(62)).toBeGreaterThan(128);
    expect(a.keyHash).toBe(hashKey(a.plainKey));
    expect(a.keyPreview.startsWith(`sk_live_${a.keyIdentifier}…`)).toBe(true);
    expect(a.keyPreview).not.toContain(a.plainKey.slice(-20));
    expect(parseKeyIdentifier(a.plainKey)).toBe(a.keyIdentifier);
    expect(parseKeyIdentifier('garbage')).toBeUndefined();
    expect(keyMatchesHash(a.plainKey, a.keyHash)).toBe(true);
    expect(keyMatchesHash(b.plainKey, a.keyHash)).toBe(false);
    const chars = new Set(randomBase62(5_000));
    expect(chars.size).toBe(62);
  });
});

describe('ApiKeyRepository', () => {
  let t: MigratedTestDatabase;
  let keys: ApiKeyRepository;
  let cache: FakeCache;
  const metrics = new FakeMetricsCollector();
  let userId: string;

  beforeAll(async () => {
    t = await migratedTestDatabase('apikeys');
    cache = new FakeCache();
    userId = (await new UserRepository({ db: t.client }).create({ email: 'k@example.com' })).id;
    keys = new ApiKeyRepository({ db: t.client, cache, metrics, apiKeys: { usageFlushIntervalMs: 60_000 } });
  });
  afterAll(async () => {
    await keys.close();
    await t.close();
  });

  it('stores only the hash and returns the plain key once', async () => {
    const { apiKey, plainKey } = await keys.createKey({ name: 'ci', userId, scopes: ['read', 'write'], prefix: 'sk_test' });
    expect(apiKey).not.toHaveProperty('keyHash');
    const row = await keys.findById(apiKey.id);
    expect(row?.keyHash).toBe(hashKey(plainKey));
    expect(JSON.stringify(row)).not.toContain(plainKey.split('_').pop());
    expect(row).toMatchObject({ status: 'ACTIVE', isActive: true, usageCount: 0, scopes: ['read', 'write'] });
  });

  it('an unknown key identifier reaches Postgres once per miss TTL; a key created with it elsewhere is found once the TTL passed', async () => {
    // lru-cache reads a start time of 0 as "no TTL": start the fake clock later.
    let now = 1_000;
    const bare = new ApiKeyRepository({ db: t.client, metrics, apiKeys: { usageFlushIntervalMs: 60_000, negativeLookup: { ttlMs: 2_000, now: () => now } } });
    const reads = () => metrics.operations.filter((o) => o.operation === 'apiKey.validate').length;
    const before = reads();
    const material = generateKey('sk');
    for (let i = 0; i < 5; i++) expect(await bare.findPresented(material.plainKey)).toEqual({ apiKey: null, reason: 'NOT_FOUND' });
    expect(reads() - before).toBe(1);
    // Another instance creates a key with that very identifier (a replay of one key: identifiers are random).
    const { plainKey, ...row } = material;
    await t.client.prisma.apiKey.create({ data: { ...row, name: 'flood', userId, scopes: ['read'], status: 'ACTIVE', isActive: true } });
    expect(await bare.findPresented(plainKey)).toEqual({ apiKey: null, reason: 'NOT_FOUND' });
    now += 2_001;
    expect(await bare.findPresented(plainKey)).toMatchObject({ apiKey: { userId, status: 'ACTIVE' } });
    // On the instance that creates a key, its identifier is forgotten at once.
    const other = generateKey('sk');
    expect(await keys.findPresented(other.plainKey)).toEqual({ apiKey: null, reason: 'NOT_FOUND' });
    const created = await keys.createKey({ name: 'next', userId, scopes: ['read'] });
    expect(await keys.findPresented(created.plainKey)).toMatchObject({ apiKey: { id: created.apiKey.id } });
    await bare.close();
  });

  it('finds a presented key: its current row (status changes seen through the cache), never its hash; a forged secret or a malformed key finds nothing', async () => {
    // Judging the row (revoked, expired, inactive, scopes) is the access core's checkKey: libs/better-auth access/apiKeys.test.ts,
    // and on these rows AuthDataLayer.test.ts (validateApiKeyWithRetry).
    const { apiKey, plainKey } = await keys.createKey({ name: 'v', userId, scopes: ['read'] });
    const found = await keys.findPresented(plainKey);
    expect(found).toMatchObject({ apiKey: { id: apiKey.id, userId, scopes: ['read'], status: 'ACTIVE', isActive: true } });
    expect(found.apiKey).not.toHaveProperty('keyHash');
    const forged = plainKey.slice(0, -1) + (plainKey.endsWith('a') ? 'b' : 'a');
    expect(await keys.findPresented(forged)).toEqual({ apiKey: null, reason: 'NOT_FOUND' });
    expect(await keys.findPresented('sk_nope')).toEqual({ apiKey: null, reason: 'MALFORMED' });

    await keys.update(apiKey.id, { status: 'INACTIVE' });
    expect(await keys.findPresented(plainKey)).toMatchObject({ apiKey: { status: 'INACTIVE', isActive: false } });
    await keys.update(apiKey.id, { status: 'ACTIVE' });
    expect(await keys.findPresented(plainKey)).toMatchObject({ apiKey: { status: 'ACTIVE', isActive: true } });

    const revoked = await keys.revoke(apiKey.id, 'admin-1', 'leaked');
    expect(revoked).toMatchObject({ status: 'REVOKED', isActive: false, revokedBy: 'admin-1', revokedReason: 'leaked' });
    expect(await keys.findPresented(plainKey)).toMatchObject({ apiKey: { status: 'REVOKED', revokedReason: 'leaked' } });

    const expiresAt = new Date(Date.now() + 60_000);
    const expiring = await keys.createKey({ name: 'e', userId, expiresAt });
    expect(await keys.findPresented(expiring.plainKey)).toMatchObject({ apiKey: { expiresAt, status: 'ACTIVE' } });
    const later = new Date(expiresAt.getTime() + 60_000);
    expect(await keys.expireSweep(later)).toBeGreaterThanOrEqual(1);
    expect((await keys.findById(expiring.apiKey.id))?.status).toBe('EXPIRED');
    expect(await keys.findPresented(expiring.plainKey)).toMatchObject({ apiKey: { status: 'EXPIRED', isActive: false } });
  });

  it('buffers usage: 1,000 uses arrive in a handful of writes with the right count', async () => {
    const { apiKey, plainKey } = await keys.createKey({ name: 'busy', userId, scopes: ['*'] });
    const other = await keys.createKey({ name: 'busy2', userId });
    await keys.flushUsage(); // uses left over from earlier tests
    metrics.reset();
    for (let i = 0; i < 1_000; i++) {
      const found = await keys.findPresented(i % 10 === 0 ? other.plainKey : plainKey);
      expect(found.apiKey).not.toBeNull();
      keys.recordUse(found.apiKey!.id);
    }
    const writesBefore = metrics.operations.filter((o) => o.operation === 'apiKey.flushUsage').length;
    expect(writesBefore).toBe(0);
    expect(await keys.flushUsage()).toBe(2);
    const writes = metrics.operations.filter((o) => o.operation === 'apiKey.flushUsage').length;
    expect(writes).toBeLessThanOrEqual(2);
    expect((await keys.findById(apiKey.id))?.usageCount).toBe(900);
    expect((await keys.findById(other.apiKey.id))?.usageCount).toBe(100);
    expect((await keys.findById(apiKey.id))?.lastUsedAt).toBeInstanceOf(Date);
    // Lookups came from the cache after the first load.
    expect(metrics.operations.filter((o) => o.operation === 'apiKey.validate').length).toBeLessThanOrEqual(2);
  });

  it('flushes at the threshold and on close', async () => {
    const small = new ApiKeyRepository({ db: t.client, apiKeys: { usageFlushThreshold: 100, usageFlushIntervalMs: 60_000 } });
    const { apiKey, plainKey } = await small.createKey({ name: 'thr', userId });
    for (let i = 0; i < 150; i++) small.recordUse((await small.findPresented(plainKey)).apiKey!.id);
    await small.close();
    expect((await small.findById(apiKey.id))?.usageCount).toBe(150);
  });

  it('rotates atomically: the new key is found with the old one\'s scopes, the old key is revoked', async () => {
    const { apiKey, plainKey } = await keys.createKey({ name: 'rot', userId, scopes: ['read'], prefix: 'pk_live' });
    const rotated = await keys.rotate(apiKey.id, 'admin-1');
    expect(rotated.plainKey.startsWith('pk_live_')).toBe(true);
    expect(await keys.findPresented(plainKey)).toMatchObject({ apiKey: { id: apiKey.id, status: 'REVOKED', revokedReason: 'rotated' } });
    expect(await keys.findPresented(rotated.plainKey)).toMatchObject({ apiKey: { id: rotated.apiKey.id, status: 'ACTIVE', scopes: ['read'] } });
    expect(rotated.apiKey).toMatchObject({ name: 'rot', scopes: ['read'], metadata: { rotatedFrom: apiKey.id } });
    expect(isRepositoryError(await keys.rotate('missing', 'x').catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
  });

  it('lists by user and by store', async () => {
    const store = await t.client.prisma.store.create({ data: { name: 'S', slug: 'store-keys' } });
    const { apiKey } = await keys.createKey({ name: 'store-key', userId, storeId: store.id });
    expect((await keys.listByStore(store.id)).map((k) => k.id)).toEqual([apiKey.id]);
    const mine = await keys.listByUser(userId);
    expect(mine.every((k) => k.isActive && !('keyHash' in k))).toBe(true);
    expect((await keys.listByUser(userId, { includeInactive: true })).length).toBeGreaterThan(mine.length);
  });

  it('supports the seed’s Example 3: findFirst by keyHash and isActive inside executeWithRetry', async () => {
    const { plainKey } = await keys.createKey({ name: 'ex3', userId });
    const keyHash = hashKey(plainKey);
    const apiKey = await executeWithRetry(
      async () => keys.findFirst({ where: { keyHash, isActive: true } }),
      () => undefined,
      { maxRetries: 5, enableCircuitBreaker: true, circuitBreakerThreshold: 10, operationName: 'example3' },
      metrics,
    );
    expect(apiKey?.name).toBe('ex3');
    expect((await keys.findByHash(keyHash))?.name).toBe('ex3');
  });

  it('rejects invalid input before any query', async () => {
    const error = await keys.createKey({ name: '', userId, scopes: ['x'.repeat(200)] }).catch((e: unknown) => e);
    expect(isRepositoryError(error, 'VALIDATION')).toBe(true);
  });
});
