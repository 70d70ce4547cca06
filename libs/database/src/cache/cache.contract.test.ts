import { harnessRedisUrl } from '@tools/test-harness';
import { randomBytes } from 'node:crypto';
import { ResilientCacheService } from './cache.service';
import type { CacheOptions } from './cacheOptions';
import { describeAtomicContract } from './testing/atomicContract';
import { describeCacheContract } from './testing/cacheContract';

const l1Only = async (options?: Partial<CacheOptions>) => new ResilientCacheService({ ...options });

const withRedis = (memory: boolean) => async (options?: Partial<CacheOptions>) => {
  const cache = new ResilientCacheService({ prefix: `contract-${randomBytes(4).toString('hex')}`, ...options, ...(memory ? {} : { memory: false }), redis: harnessRedisUrl() });
  expect(await cache.ready()).toBe(true);
  return cache;
};

describeCacheContract('L1 only', l1Only);
describeCacheContract('L1 + Redis (harness)', withRedis(true));
describeCacheContract('Redis only (memory off)', withRedis(false));

describeAtomicContract('L1 only', l1Only, false);
describeAtomicContract('L1 + Redis (harness), two instances', withRedis(true), true);
describeAtomicContract('Redis only (memory off), two instances', withRedis(false), true);
