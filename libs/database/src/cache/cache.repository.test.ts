import { randomBytes } from 'node:crypto';
import { harnessRedisUrl } from '@tools/test-harness';
import { UserStatus } from '../models';
import { SessionRepository } from '../postgress/repositories/session';
import { UserRepository } from '../postgress/repositories/user';
import { migratedTestDatabase, type MigratedTestDatabase } from '../testing/testDatabase';
import { ResilientCacheService } from './cache.service';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { eventually } from './testing/eventually';

/**
 * Two app instances: each with its own cache (own L1) on one Redis, and its own
 * UserRepository on one database. A write through one must be seen by the other's
 * cached finders, not after a TTL but after one pub/sub message.
 */
describe('repository integration: writes on instance A reach cached reads on instance B', () => {
  let t: MigratedTestDatabase;
  let cacheA: ResilientCacheService;
  let cacheB: ResilientCacheService;
  let metricsB: FakeMetricsCollector;
  let usersA: UserRepository;
  let usersB: UserRepository;
  const delays: number[] = [];

  beforeAll(async () => {
    t = await migratedTestDatabase('cache_repo');
    const prefix = `repo-${randomBytes(4).toString('hex')}`;
    metricsB = new FakeMetricsCollector();
    cacheA = new ResilientCacheService({ redis: harnessRedisUrl(), prefix });
    cacheB = new ResilientCacheService({ redis: harnessRedisUrl(), prefix, metrics: metricsB });
    expect(await cacheA.ready()).toBe(true);
    expect(await cacheB.ready()).toBe(true);
    usersA = new UserRepository({ db: t.client, cache: cacheA, retry: { breakerKey: 'cache-repo-a' } });
    usersB = new UserRepository({ db: t.client, cache: cacheB, retry: { breakerKey: 'cache-repo-b' } });
  });

  afterAll(async () => {
    await Promise.all([cacheA?.close(), cacheB?.close()]);
    await t?.close();
    if (delays.length) console.log(`repository write on A → B's cached read correct ${delays.map((d) => d.toFixed(2)).join(', ')} ms after A's write returned (includes B's reload from Postgres)`);
  });

  /** Polls B's cached finder until it reflects the write; records how long that took. */
  async function seenOnB<T>(read: () => Promise<T>, ok: (value: T) => boolean, since: bigint): Promise<void> {
    await eventually(async () => ok(await read()), 5_000, 1);
    delays.push(Number(process.hrtime.bigint() - since) / 1e6);
  }

  it('an update through the repository is seen by the other instance’s cached findById and findByEmail', async () => {
    const user = await usersA.create({ email: 'two-instances@example.com', firstName: 'Before' });
    expect((await usersB.findById(user.id))?.firstName).toBe('Before');
    expect((await usersB.findByEmail(user.email))?.firstName).toBe('Before');
    const l1Hits = metricsB.count('cache.hit.l1');
    expect((await usersB.findById(user.id))?.firstName).toBe('Before'); // served from B's L1
    expect(metricsB.count('cache.hit.l1')).toBe(l1Hits + 1);

    await usersA.update(user.id, { firstName: 'After', updatedBy: 'admin' });
    const since = process.hrtime.bigint();
    await seenOnB(() => usersB.findById(user.id), (u) => u?.firstName === 'After', since);
    expect((await usersB.findByEmail(user.email))?.firstName).toBe('After');
    const cached = await usersB.findById(user.id);
    expect(cached?.createdAt).toBeInstanceOf(Date);
    expect(cached?.updatedBy).toBe('admin');
  });

  it('a ban and a soft delete on A are visible on B', async () => {
    const user = await usersA.create({ email: 'banned@example.com' });
    expect((await usersB.findById(user.id))?.status).toBe('ACTIVE');

    await usersA.batchUpdateStatus([user.id], UserStatus.BANNED, 'admin', 'abuse');
    let since = process.hrtime.bigint();
    await seenOnB(() => usersB.findById(user.id), (u) => u?.status === 'BANNED', since);

    await usersA.softDelete(user.id, 'admin');
    since = process.hrtime.bigint();
    await seenOnB(() => usersB.findById(user.id), (u) => u === null, since);
    expect(await usersB.findByEmail(user.email)).toBeNull();
  });

  it('a cached row is revived once per load and then shared read-only: same object on every hit, Dates intact', async () => {
    const user = await usersA.create({ email: 'frozen@example.com', firstName: 'Ice' });
    const first = (await usersB.findById(user.id))!;
    const second = (await usersB.findById(user.id))!;
    expect(second).toBe(first);
    expect(first.createdAt).toBeInstanceOf(Date);
    expect(first).toEqual(user);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => ((first as { firstName: string | null }).firstName = 'Changed')).toThrow(TypeError);
    expect(() => first.createdAt.setTime(0)).toThrow(TypeError);
    // Callers copy to change: the copy is an ordinary object, the cache is untouched.
    const copy = { ...first, firstName: 'Changed', createdAt: new Date(first.createdAt) };
    copy.createdAt.setTime(0);
    expect((await usersB.findById(user.id))?.firstName).toBe('Ice');
    expect((await usersB.findById(user.id))?.createdAt.getTime()).toBe(user.createdAt.getTime());

    const sessionsB = new SessionRepository({ db: t.client, cache: cacheB, retry: { breakerKey: 'cache-repo-b' } });
    const token = `frozen-token-${randomBytes(12).toString('hex')}`;
    await sessionsB.create({ token, userId: user.id, expiresAt: new Date(Date.now() + 60_000) });
    const s1 = await sessionsB.findActiveByToken(token);
    const s2 = await sessionsB.findActiveByToken(token);
    expect(s2).toBe(s1);
    expect(s1?.expiresAt).toBeInstanceOf(Date);
    expect(Object.isFrozen(s1)).toBe(true);
  });
});
