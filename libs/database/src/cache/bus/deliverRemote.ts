import type { InvalidationLagObserver } from '../cacheOptions';

/** What both buses hand over: who published it, and when (for the lag histogram). */
export interface RemoteMessage {
  instanceId: string;
  publishedAt?: number;
}

/**
 * A decoded bus message to the cache, unless this instance published it, then its publish →
 * applied lag to the observer. One rule for the Redis and the Postgres bus.
 */
export function deliverRemote<M extends RemoteMessage>(message: M, ownInstanceId: string, handlers: { onMessage(message: M): void; lag?: InvalidationLagObserver }): void {
  if (message.instanceId === ownInstanceId) return;
  handlers.onMessage(message);
  const { lag } = handlers;
  if (lag === undefined || message.publishedAt === undefined) return;
  try {
    lag.observe(Math.max(0, Date.now() - message.publishedAt) / 1000);
  } catch {
    // A broken observer must not stop invalidations from being applied.
  }
}
