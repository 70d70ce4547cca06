import { randomBytes } from 'node:crypto';
import { harnessRedisUrl } from '@tools/test-harness';
import { Redis } from 'ioredis';
import { ResilientCacheService } from './cache.service';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { eventually } from './testing/eventually';

interface Row {
  id: string;
  at: Date;
  tags: string[];
}

/** A repository-style revive: checks the shape and turns the ISO string back into a Date. */
function counted() {
  const seen: unknown[] = [];
  const decode = (value: unknown): Row => {
    seen.push(value);
    const raw = value as { id: unknown; at: unknown; tags: unknown };
    if (typeof raw.id !== 'string') throw new Error('not a row');
    return { id: raw.id, at: new Date(raw.at as string), tags: [...(raw.tags as string[])] };
  };
  return { decode, seen };
}

/**
 * The loader stores `at` as a string, as a JSON column or an older schema would; `decode` makes
 * it a `Row` (typed as one: `getOrSet<T>` types the loader by what callers finally get).
 */
const loaderRow = (id = 'r1') => ({ id, at: '2024-01-02T03:04:05.678Z', tags: ['a'] }) as unknown as Row;

describe('getOrSet decode: once per load, L1 keeps the decoded frozen value', () => {
  let cache: ResilientCacheService;
  let metrics: FakeMetricsCollector;
  beforeEach(() => {
    metrics = new FakeMetricsCollector();
    cache = new ResilientCacheService({ metrics });
  });
  afterEach(() => cache.close());

  it('decodes the loader result once and returns the same frozen object on every hit', async () => {
    const { decode, seen } = counted();
    const loader = jest.fn(async () => loaderRow());
    const first = await cache.getOrSet<Row>('row', loader, { decode });
    const second = await cache.getOrSet<Row>('row', loader, { decode });
    const third = await cache.getOrSet<Row>('row', loader, { decode });
    expect(loader).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(first.at).toBeInstanceOf(Date);
    expect(first).toStrictEqual({ id: 'r1', at: new Date('2024-01-02T03:04:05.678Z'), tags: ['a'] });
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => first.tags.push('b')).toThrow(TypeError);
    expect(() => first.at.setTime(0)).toThrow(TypeError);
    expect(metrics.count('cache.hit.l1')).toBe(2);
  });

  it('hands decode a private copy of what the loader returned (what L2 would hold)', async () => {
    const mine = loaderRow();
    let received: unknown;
    await cache.getOrSet('row', async () => mine, { decode: (v) => ((received = v), v) });
    expect(received).toEqual(mine);
    expect(received).not.toBe(mine);
    expect(Object.isFrozen(mine)).toBe(false);
  });

  it('never decodes null: a cached miss stays null', async () => {
    const { decode, seen } = counted();
    const loader = jest.fn(async () => null);
    expect(await cache.getOrSet('none', loader, { decode, negativeTtlMs: 60_000 })).toBeNull();
    expect(await cache.getOrSet('none', loader, { decode, negativeTtlMs: 60_000 })).toBeNull();
    expect(loader).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(0);
  });

  it('decodes a value written by set() on its first getOrSet, then serves hits without decoding', async () => {
    const { decode, seen } = counted();
    await cache.set('row', loaderRow());
    const loader = jest.fn(async () => loaderRow('other'));
    const first = await cache.getOrSet<Row>('row', loader, { decode });
    const second = await cache.getOrSet<Row>('row', loader, { decode });
    expect(loader).not.toHaveBeenCalled();
    expect(seen).toHaveLength(1);
    expect(second).toBe(first);
    expect(first.at).toBeInstanceOf(Date);
    // A plain get sees the decoded value too (L1 now holds it).
    expect(await cache.get('row')).toBe(first);
  });

  it('gives each decoder its own output when two share a key', async () => {
    const a = counted();
    const asUpper = (v: unknown) => ({ ...(v as object), id: (v as Row).id.toUpperCase() });
    await cache.getOrSet('row', async () => loaderRow(), { decode: a.decode });
    expect((await cache.getOrSet<Row>('row', async () => loaderRow(), { decode: asUpper })).id).toBe('R1');
    expect((await cache.getOrSet<Row>('row', async () => loaderRow(), { decode: a.decode })).at).toBeInstanceOf(Date);
  });

  it('treats a cached value that fails to decode as a miss and reloads it', async () => {
    const { decode } = counted();
    await cache.set('row', { wrong: true });
    const loader = jest.fn(async () => loaderRow());
    const value = await cache.getOrSet<Row>('row', loader, { decode });
    expect(loader).toHaveBeenCalledTimes(1);
    expect(value.id).toBe('r1');
    expect(metrics.count('cache.decode_error')).toBe(1);
    expect(await cache.getOrSet<Row>('row', loader, { decode })).toBe(value);
  });

  it('rejects when the loader result itself does not decode, and caches nothing', async () => {
    const { decode } = counted();
    const loader = jest.fn(async () => ({ wrong: true }));
    await expect(cache.getOrSet('row', loader, { decode })).rejects.toThrow('not a row');
    expect(await cache.get('row')).toBeUndefined();
  });

  it('reloads and decodes again after an invalidation', async () => {
    const { decode, seen } = counted();
    let version = 0;
    const loader = async () => loaderRow(`r${++version}`);
    expect((await cache.getOrSet<Row>('row', loader, { decode, tags: ['t'] })).id).toBe('r1');
    await cache.invalidateTags(['t']);
    expect((await cache.getOrSet<Row>('row', loader, { decode, tags: ['t'] })).id).toBe('r2');
    expect(seen).toHaveLength(2);
  });

  it('serves the decoded stale value when the refresh fails (stale-if-error), without decoding again', async () => {
    const { decode, seen } = counted();
    const first = await cache.getOrSet<Row>('row', async () => loaderRow(), { decode, ttlMs: 20, staleIfErrorMs: 60_000 });
    // Until the 20 ms TTL has passed (however long that takes to be observed on this machine).
    await eventually(async () => (await cache.get('row')) === undefined);
    const stale = await cache.getOrSet<Row>('row', async () => Promise.reject(new Error('db down')), { decode, ttlMs: 20, staleIfErrorMs: 60_000 });
    expect(stale).toBe(first);
    expect(seen).toHaveLength(1);
    expect(metrics.count('cache.stale_served')).toBe(1);
  });

  it('returns an uncacheable loader result decoded (a cycle cannot be serialized)', async () => {
    const cyclic: Record<string, unknown> = { id: 'c', at: '2024-01-01T00:00:00.000Z', tags: [] };
    const cyclicRow = cyclic as unknown as Row;
    cyclic['self'] = cyclic;
    const { decode } = counted();
    const value = await cache.getOrSet<Row>('cyclic', async () => cyclicRow, { decode });
    expect(value.at).toBeInstanceOf(Date);
    expect(metrics.count('cache.serialization_error')).toBe(1);
    expect(await cache.get('cyclic')).toBeUndefined();
  });

  it('in serialize mode decodes every hit and hands out mutable copies', async () => {
    const copying = new ResilientCacheService({ memory: { serialize: true } });
    try {
      const { decode, seen } = counted();
      const first = await copying.getOrSet<Row>('row', async () => loaderRow(), { decode });
      const second = await copying.getOrSet<Row>('row', async () => loaderRow(), { decode });
      expect(second).not.toBe(first);
      expect(second).toStrictEqual(first);
      second.tags.push('mine');
      expect((await copying.getOrSet<Row>('row', async () => loaderRow(), { decode })).tags).toEqual(['a']);
      expect(seen.length).toBeGreaterThanOrEqual(3);
    } finally {
      await copying.close();
    }
  });
});

describe('getOrSet decode across instances (L1 + Redis)', () => {
  let prefix: string;
  let a: ResilientCacheService;
  let b: ResilientCacheService;
  let metricsB: FakeMetricsCollector;
  let raw: Redis;

  beforeEach(async () => {
    prefix = `dec-${randomBytes(4).toString('hex')}`;
    metricsB = new FakeMetricsCollector();
    a = new ResilientCacheService({ redis: harnessRedisUrl(), prefix });
    b = new ResilientCacheService({ redis: harnessRedisUrl(), prefix, metrics: metricsB });
    raw = new Redis(harnessRedisUrl());
    expect(await a.ready()).toBe(true);
    expect(await b.ready()).toBe(true);
  });
  afterEach(async () => {
    raw.disconnect();
    await Promise.all([a.close(), b.close()]);
  });

  it('L2 keeps serialized JSON; the other instance decodes it once and then hits its own L1', async () => {
    const { decode: decodeA } = counted();
    await a.getOrSet('row', async () => loaderRow(), { decode: decodeA });
    const stored = await raw.get(`${prefix}:k:row`);
    expect(stored).toContain('"at":"2024-01-02T03:04:05.678Z"');
    const { decode, seen } = counted();
    const loaderB = jest.fn(async () => loaderRow('from-b'));
    const first = await b.getOrSet<Row>('row', loaderB, { decode });
    const second = await b.getOrSet<Row>('row', loaderB, { decode });
    expect(loaderB).not.toHaveBeenCalled();
    expect(first.id).toBe('r1');
    expect(first.at).toBeInstanceOf(Date);
    expect(second).toBe(first);
    expect(seen).toHaveLength(1);
    expect(metricsB.count('cache.hit.l2')).toBe(1);
    expect(metricsB.count('cache.hit.l1')).toBe(1);
  });

  it('an invalidation on one instance drops the other’s decoded L1 value', async () => {
    const { decode } = counted();
    let version = 0;
    const loader = async () => loaderRow(`v${++version}`);
    expect((await b.getOrSet<Row>('row', loader, { decode })).id).toBe('v1');
    const received = metricsB.count('cache.bus.received');
    await a.delete('row');
    await eventually(() => metricsB.count('cache.bus.received') > received);
    expect((await b.getOrSet<Row>('row', loader, { decode })).id).toBe('v2');
  });

  it('an L2 value that does not decode is a miss: the loader runs and its result replaces it', async () => {
    await a.set('row', { wrong: true });
    const { decode } = counted();
    const loader = jest.fn(async () => loaderRow('fresh'));
    expect((await b.getOrSet<Row>('row', loader, { decode })).id).toBe('fresh');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(metricsB.count('cache.decode_error')).toBe(1);
  });
});
