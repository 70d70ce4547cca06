import { harnessRedisUrl } from '@tools/test-harness';
import { randomBytes } from 'node:crypto';
import { ResilientCacheService } from './cache.service';
import { describeCacheContract } from './testing/cacheContract';

describeCacheContract('L1 only', async (options) => new ResilientCacheService({ ...options }));

describeCacheContract('L1 + Redis (harness)', async (options) => {
  const cache = new ResilientCacheService({ prefix: `contract-${randomBytes(4).toString('hex')}`, ...options, redis: harnessRedisUrl() });
  expect(await cache.ready()).toBe(true);
  return cache;
});

describeCacheContract('Redis only (memory off)', async (options) => {
  const cache = new ResilientCacheService({ prefix: `contract-${randomBytes(4).toString('hex')}`, ...options, memory: false, redis: harnessRedisUrl() });
  expect(await cache.ready()).toBe(true);
  return cache;
});
