import { isTransientError } from './isTransientError';

/**
 * Redis replies that mean "this node cannot serve you right now": still loading the dataset,
 * a read-only replica after failover, a resharding slot, a cluster or master down. ioredis
 * surfaces them as `ReplyError` whose message starts with the Redis error prefix.
 */
const TRANSIENT_REDIS_REPLY = /^(LOADING|READONLY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|BUSY|NOREPLICAS)\b/;

/** `isTransientError` plus Redis reply errors a retry can fix. WRONGTYPE, NOAUTH, syntax errors are not. */
export function isRedisTransientError(error: unknown): boolean {
  if (isTransientError(error)) return true;
  if (error === null || typeof error !== 'object') return false;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && TRANSIENT_REDIS_REPLY.test(message);
}
