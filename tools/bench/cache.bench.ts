/**
 * `npm run bench -- cache`: side by side, in one process,
 *  - L1 hit throughput of ResilientCacheService vs bentocache's memory layer: each with its
 *    default (ours: the value decoded and deep-frozen once, returned as is; bentocache:
 *    serialized, parsed per hit), both serialized, and ours (default) vs bentocache unserialized
 *    (which shares a mutable object);
 *  - L2 hit latency (memory layer off, so every get is a Redis round trip through
 *    executeRedisWithRetry + envelope decoding) vs a raw ioredis GET of the same stored value.
 * Redis: REDIS_URL if set, otherwise a throwaway redis-server started (and stopped) here.
 */
import { DEFAULT_REMOTE_RETRY_OPTIONS, ResilientCacheService } from '@libs/database/cache';
import { executeRedisWithRetry } from '@libs/utils/src/executeWithRetry';
import { Redis } from 'ioredis';
import { startDedicatedRedis } from '@tools/test-harness';
import { compare, writeReport } from './report';

const VALUE = {
  id: 'usr_01HZX3R8Q4J6P7Y2',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  emailVerified: true,
  role: 'admin',
  status: 'ACTIVE',
  createdAt: new Date('2024-01-02T03:04:05.678Z'),
  updatedAt: new Date('2024-06-07T08:09:10.111Z'),
  metadata: { locale: 'en-GB', tags: ['a', 'b', 'c'], loginCount: 42 },
};

const opsPerSec = (ns: number) => 1e9 / ns;

async function redisUrl(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => undefined };
  const server = await startDedicatedRedis();
  return { url: server.url, stop: () => server.stop() };
}

type L1Mode = 'default' | 'serialized' | 'shared';

async function l1(): Promise<Record<L1Mode, Record<string, number>>> {
  const { BentoCache, bentostore } = await import('bentocache');
  const { memoryDriver } = await import('bentocache/drivers/memory');
  const bento = (serialize: boolean) =>
    new BentoCache({
      default: 'm',
      stores: { m: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000, serialize })) },
    });
  const results = { default: {}, serialized: {}, shared: {} } as Record<L1Mode, Record<string, number>>;
  // [ours' memory options, bentocache's serializeL1] per measure; `shared` compares our default
  // (frozen, so mutation-safe) with bentocache's unprotected shared object.
  const modes: Array<[L1Mode, { serialize?: boolean } | undefined, boolean]> = [
    ['default', undefined, true],
    ['serialized', { serialize: true }, true],
    ['shared', undefined, false],
  ];
  for (const [mode, memory, serialize] of modes) {
    const ours = new ResilientCacheService({ memory, resources: { default: { ttlMs: 3_600_000 } } });
    const theirs = bento(serialize);
    await ours.set('user:1', VALUE);
    await theirs.set({ key: 'user:1', value: VALUE, ttl: '1h' });
    if (JSON.stringify(await ours.get('user:1')) !== JSON.stringify(VALUE)) throw new Error('ours: wrong value');
    if (!(await theirs.get({ key: 'user:1' }))) throw new Error('bentocache: no value');
    const ns = await compare(
      { ours: () => ours.get('user:1'), bentocache: () => theirs.get({ key: 'user:1' }) },
      { iterations: 50_000, rounds: 7, warmup: 20_000 },
    );
    results[mode] = ns;
    await ours.close();
    await theirs.disconnectAll();
  }
  return results;
}

async function l2(url: string): Promise<Record<string, number>> {
  const prefix = `bench-${process.pid}`;
  const ours = new ResilientCacheService({ redis: url, prefix, memory: false, resources: { default: { ttlMs: 3_600_000 } } });
  if (!(await ours.ready())) throw new Error('redis not ready');
  await ours.set('user:1', VALUE);
  const raw = new Redis(url);
  const wrapper = { ...DEFAULT_REMOTE_RETRY_OPTIONS, enableCircuitBreaker: true };
  const key = `${prefix}:k:user:1`;
  if (!(await raw.get(key))) throw new Error('raw GET found nothing');
  const ns = await compare(
    {
      ours: () => ours.get('user:1'),
      rawGet: () => raw.get(key),
      rawGetParse: async () => JSON.parse((await raw.get(key)) as string),
      // The same GET through the retry/breaker wrapper alone, to attribute the overhead.
      wrappedGet: () => executeRedisWithRetry(raw, (r) => r.get(key), undefined, { ...wrapper, breakerKey: `bench-${process.pid}` }),
    },
    { iterations: 3_000, rounds: 9, warmup: 2_000 },
  );
  await ours.clear();
  await ours.close();
  raw.disconnect();
  return ns;
}

export async function run(): Promise<void> {
  const redis = await redisUrl();
  try {
    const memory = await l1();
    const remote = await l2(redis.url);
    const metrics = {
      l1_get_ops: opsPerSec(memory.default.ours),
      bentocache_l1_get_ops: opsPerSec(memory.default.bentocache),
      l1_get_ops_vs_bentocache_ratio: memory.default.bentocache / memory.default.ours,
      l1_get_serialized_ops: opsPerSec(memory.serialized.ours),
      bentocache_l1_get_serialized_ops: opsPerSec(memory.serialized.bentocache),
      l1_get_serialized_ops_vs_bentocache_ratio: memory.serialized.bentocache / memory.serialized.ours,
      l1_get_frozen_ops: opsPerSec(memory.shared.ours),
      bentocache_l1_get_unserialized_ops: opsPerSec(memory.shared.bentocache),
      l1_get_frozen_ops_vs_bentocache_unserialized_ratio: memory.shared.bentocache / memory.shared.ours,
      l2_get_us: remote.ours / 1e3,
      raw_get_us: remote.rawGet / 1e3,
      raw_get_parse_us: remote.rawGetParse / 1e3,
      l2_get_latency_vs_raw_get_ratio: remote.ours / remote.rawGet,
      l2_get_latency_vs_raw_get_parse_ratio: remote.ours / remote.rawGetParse,
      wrapped_get_us: remote.wrappedGet / 1e3,
      wrapped_get_vs_raw_get_ratio: remote.wrappedGet / remote.rawGet,
      l2_get_latency_vs_wrapped_get_ratio: remote.ours / remote.wrappedGet,
      targets: { l1_get_ops_vs_bentocache_ratio: '>= 1.0', l2_get_latency_vs_raw_get_ratio: '<= 1.2' },
    };
    writeReport('cache', metrics, [
      { measure: 'L1 hit (each default)', ours: `${Math.round(metrics.l1_get_ops)} ops/s`, baseline: `${Math.round(metrics.bentocache_l1_get_ops)} ops/s (bentocache, serialized)` },
      { measure: 'L1 hit (both serialized)', ours: `${Math.round(metrics.l1_get_serialized_ops)} ops/s`, baseline: `${Math.round(metrics.bentocache_l1_get_serialized_ops)} ops/s (bentocache)` },
      { measure: 'L1 hit (ours frozen vs shared)', ours: `${Math.round(metrics.l1_get_frozen_ops)} ops/s`, baseline: `${Math.round(metrics.bentocache_l1_get_unserialized_ops)} ops/s (bentocache, unserialized)` },
      { measure: 'L2 hit latency', ours: `${metrics.l2_get_us.toFixed(1)} µs`, baseline: `${metrics.raw_get_us.toFixed(1)} µs (raw GET)` },
      { measure: 'L2 hit latency', ours: `${metrics.l2_get_us.toFixed(1)} µs`, baseline: `${metrics.raw_get_parse_us.toFixed(1)} µs (raw GET + JSON.parse)` },
      { measure: 'L2 hit latency', ours: `${metrics.l2_get_us.toFixed(1)} µs`, baseline: `${metrics.wrapped_get_us.toFixed(1)} µs (GET in executeRedisWithRetry)` },
    ]);
  } finally {
    await redis.stop();
  }
}
