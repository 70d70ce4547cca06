import { StoreCreateInputSchema, type Store, type StoreCreateInput } from '../../models';
import { isRepositoryError, RepositoryError } from '../../errors/RepositoryError';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import type { DatabaseClient } from '../../types/DatabaseClient';
import { BaseRepository } from './base';

type StoreRepo = BaseRepository<Store, Record<string, unknown>, StoreCreateInput, Partial<StoreCreateInput>>;

describe('BaseRepository (generic CRUD on a real database)', () => {
  let t: MigratedTestDatabase;
  let repo: StoreRepo;
  const metrics = new FakeMetricsCollector();

  beforeAll(async () => {
    t = await migratedTestDatabase('base');
    repo = new BaseRepository({ db: t.client, metrics, retry: { breakerKey: 'base-test' } }, { model: 'store', createSchema: StoreCreateInputSchema, updateSchema: StoreCreateInputSchema.partial() });
  });
  afterAll(() => t.close());

  it('creates, finds, counts and checks existence', async () => {
    const store = await repo.create({ name: 'Main', slug: 'main', metadata: { tier: 'gold' } });
    expect(store).toMatchObject({ name: 'Main', slug: 'main', isActive: true, metadata: { tier: 'gold' } });
    expect(store.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await repo.findById(store.id)).toEqual(store);
    expect(await repo.findById('missing')).toBeNull();
    expect(await repo.findFirst({ where: { slug: 'main' }, select: { id: true } })).toEqual({ id: store.id });
    expect(await repo.count({ slug: 'main' })).toBe(1);
    expect(await repo.exists({ slug: 'main' })).toBe(true);
    expect(await repo.exists({ slug: 'nope' })).toBe(false);
  });

  it('createMany, findMany with orderBy/skip/take, updateMany, upsert, update, delete', async () => {
    const n = await repo.createMany([1, 2, 3, 4, 5].map((i) => ({ name: `S${i}`, slug: `s-${i}` })));
    expect(n).toBe(5);
    const page = await repo.findMany({ where: { slug: { startsWith: 's-' } }, orderBy: { slug: 'desc' }, skip: 1, take: 2 });
    expect(page.map((s) => s.slug)).toEqual(['s-4', 's-3']);
    expect(await repo.updateMany({ slug: { in: ['s-1', 's-2'] } }, { isActive: false })).toBe(2);
    expect(await repo.count({ isActive: false })).toBe(2);
    const up1 = await repo.upsert({ slug: 'up' }, { name: 'Up', slug: 'up' }, { name: 'Up2' });
    const up2 = await repo.upsert({ slug: 'up' }, { name: 'Up', slug: 'up' }, { name: 'Up2' });
    expect([up1.name, up2.name, up2.id]).toEqual(['Up', 'Up2', up1.id]);
    const updated = await repo.update(up1.id, { name: 'Renamed' });
    expect(updated.name).toBe('Renamed');
    expect((await repo.delete(up1.id)).id).toBe(up1.id);
    expect(await repo.findById(up1.id)).toBeNull();
  });

  it('paginates with a total', async () => {
    const page = await repo.paginate({ where: { slug: { startsWith: 's-' } }, orderBy: { slug: 'asc' }, page: 2, pageSize: 2 });
    expect(page).toMatchObject({ total: 5, page: 2, pageSize: 2, totalPages: 3, hasNext: true });
    expect(page.items.map((s) => s.slug)).toEqual(['s-3', 's-4']);
  });

  it('maps failures to RepositoryError codes with the cause', async () => {
    const dup = await repo.create({ name: 'Dup', slug: 'main' }).catch((e: unknown) => e);
    expect(isRepositoryError(dup, 'UNIQUE_VIOLATION')).toBe(true);
    expect((dup as RepositoryError).fields).toEqual(['slug']);
    expect((dup as RepositoryError).cause).toBeDefined();
    expect((dup as RepositoryError).retryable).toBe(false);

    const missing = await repo.update('nope', { name: 'x' }).catch((e: unknown) => e);
    expect(isRepositoryError(missing, 'NOT_FOUND')).toBe(true);
    expect(isRepositoryError(await repo.delete('nope').catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);

    const keys = new BaseRepository({ db: t.client }, { model: 'apiKey' });
    const fk = await keys.create({ name: 'k', keyHash: 'h', keyIdentifier: 'i', keyPreview: 'p', userId: 'no-such-user' }).catch((e: unknown) => e);
    expect(isRepositoryError(fk, 'FOREIGN_KEY')).toBe(true);
    expect((fk as RepositoryError).fields).toEqual(['userId']);
  });

  it('rejects bad input with VALIDATION before any query', async () => {
    const noDb = { prisma: new Proxy({}, { get: () => { throw new Error('the database was touched'); } }) } as unknown as DatabaseClient;
    const guarded: StoreRepo = new BaseRepository({ db: noDb, metrics }, { model: 'store', createSchema: StoreCreateInputSchema });
    const error = await guarded.create({ name: 'x'.repeat(300), slug: 'Bad Slug' }).catch((e: unknown) => e);
    expect(isRepositoryError(error, 'VALIDATION')).toBe(true);
    expect((error as RepositoryError).fields).toEqual(['name', 'slug']);
    expect(metrics.operations.some((o) => o.operation === 'store.create' && o.errorCode === 'VALIDATION')).toBe(true);
  });

  it('records per-operation metrics and the seed’s repository figures', () => {
    expect(metrics.operations.some((o) => o.operation === 'store.findById' && o.success)).toBe(true);
    const figures = repo.getMetrics();
    expect(figures.operationCount).toBeGreaterThan(10);
    expect(figures.errorCount).toBe(3);
    expect(figures.lastOperationTime).not.toBeNull();
  });

  describe('transaction', () => {
    it('commits on success and hands out a bound repository', async () => {
      const created = await repo.transaction(async (tx) => {
        const a = await tx.create({ name: 'T1', slug: 'tx-1' });
        await tx.update(a.id, { name: 'T1b' });
        return a;
      });
      expect((await repo.findById(created.id))?.name).toBe('T1b');
    });

    it('rolls back everything when fn throws, and rethrows the caller’s own error as is', async () => {
      const boom = new Error('boom');
      await expect(
        repo.transaction(async (tx) => {
          await tx.create({ name: 'R1', slug: 'rb-1' });
          await tx.create({ name: 'R2', slug: 'rb-2' });
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await repo.count({ slug: { startsWith: 'rb-' } })).toBe(0);
    });

    it('rolls back on a database error inside and reports it as a RepositoryError', async () => {
      const error = await repo
        .transaction(async (tx) => {
          await tx.create({ name: 'R3', slug: 'rb-3' });
          await tx.create({ name: 'Dup', slug: 'main' });
        })
        .catch((e: unknown) => e);
      expect(isRepositoryError(error, 'UNIQUE_VIOLATION')).toBe(true);
      expect(await repo.count({ slug: 'rb-3' })).toBe(0);
    });

    it('reruns conflicting serializable transactions until both commit', async () => {
      let attempts = 0;
      let arrived = 0;
      let release!: () => void;
      const bothRead = new Promise<void>((resolve) => (release = resolve));
      const barrier = async () => {
        if (++arrived === 2) release();
        // Only the first round waits: a rerun must not block on a partner that already committed.
        else if (arrived < 2) await bothRead;
      };
      const run = (tag: string) =>
        repo.transaction(
          async (tx) => {
            attempts++;
            const seen = await tx.count({ slug: { startsWith: 'ser-' } });
            await barrier();
            return tx.create({ name: tag, slug: `ser-${tag}-${seen}` });
          },
          { isolationLevel: 'Serializable' },
        );
      const [a, b] = await Promise.all([run('a'), run('b')]);
      expect(attempts).toBeGreaterThanOrEqual(3);
      expect(await repo.count({ slug: { startsWith: 'ser-' } })).toBe(2);
      // The rerun saw the other transaction's row.
      expect([a.slug, b.slug].sort()).toEqual(expect.arrayContaining([expect.stringMatching(/-0$/), expect.stringMatching(/-1$/)]));
    });
  });
});
