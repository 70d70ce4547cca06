import type { z } from 'zod';
import { parseRedisHostPorts, type RedisEndpoint } from '@libs/database/cache';

interface RedisFields {
  REDIS_URL?: string;
  REDIS_SENTINELS?: string;
  REDIS_SENTINEL_MASTER: string;
  REDIS_SENTINEL_PASSWORD?: string;
  REDIS_PASSWORD?: string;
}

/** At most this many Sentinels in REDIS_SENTINELS (ioredis tries them in turn). */
const MAX_SENTINELS = 16;

/** Cross-field rules of the Redis variables: one endpoint, a well-formed Sentinel list. */
export function checkRedisConfig(config: RedisFields, ctx: z.RefinementCtx): void {
  if (config.REDIS_URL && config.REDIS_SENTINELS) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINELS'], message: 'and REDIS_URL are both set: choose one (Sentinel finds the master itself)' });
  }
  if (config.REDIS_SENTINEL_PASSWORD && !config.REDIS_SENTINELS) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINEL_PASSWORD'], message: 'needs REDIS_SENTINELS' });
  }
  if (!config.REDIS_SENTINELS) return;
  try {
    const sentinels = parseRedisHostPorts(config.REDIS_SENTINELS);
    if (sentinels.length === 0) ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINELS'], message: 'names no Sentinel (host:port,host:port)' });
    if (sentinels.length > MAX_SENTINELS) ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINELS'], message: `names more than ${MAX_SENTINELS} Sentinels` });
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINELS'], message: (error as Error).message });
  }
}

/**
 * The one Redis endpoint of the app, from REDIS_URL or REDIS_SENTINELS (checked above); every
 * Redis connection (cache, invalidation bus, rate limits, refresh locks) is built from it.
 */
export function redisEndpointOf(config: RedisFields): RedisEndpoint | undefined {
  if (config.REDIS_SENTINELS) {
    return {
      sentinels: parseRedisHostPorts(config.REDIS_SENTINELS),
      masterName: config.REDIS_SENTINEL_MASTER,
      password: config.REDIS_PASSWORD,
      sentinelPassword: config.REDIS_SENTINEL_PASSWORD,
    };
  }
  if (config.REDIS_URL) return { url: config.REDIS_URL, password: config.REDIS_PASSWORD };
  return undefined;
}
