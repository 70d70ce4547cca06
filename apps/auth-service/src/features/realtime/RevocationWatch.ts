import type { InvalidationEvent, ResilientCacheService } from '@libs/database/cache';
import type { IMetricsCollector } from '@libs/monitoring';
import type { FastifyBaseLogger } from 'fastify';
import type { RevalidationFilter, WebSocketAuthService } from './WebSocketAuthService';

/** Filters being built from the events of one tick: their id lists are arrays. */
interface PendingFilter extends RevalidationFilter {
  sessionIds: string[];
  userIds: string[];
  apiKeyIds: string[];
}

const emptyFilter = (): PendingFilter => ({ sessionIds: [], userIds: [], apiKeyIds: [] });

/**
 * Which sockets a typed invalidation event concerns, added to `filter`: a session, user or key
 * row → its sockets; all sessions / all keys → every socket of that kind; roles → every key
 * socket (its grant is intersected with its owner's permissions); all users or may-have-missed →
 * every socket. Exhaustive over the kinds: a new kind does not compile until it is placed here.
 */
export function addRevalidation(filter: PendingFilter, event: InvalidationEvent): void {
  switch (event.kind) {
    case 'session-changed':
      filter.sessionIds.push(event.id);
      return;
    case 'user-changed':
      filter.userIds.push(event.id);
      return;
    case 'key-changed':
      filter.apiKeyIds.push(event.id);
      return;
    case 'all-sessions-changed':
      filter.allSessions = true;
      return;
    case 'all-keys-changed':
    case 'roles-changed':
      filter.allKeys = true;
      return;
    case 'all-users-changed':
    case 'may-have-missed':
      filter.all = true;
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled invalidation event ${(unhandled as { kind: string }).kind}`);
    }
  }
}

/** The filter of a list of events (tests and one-off callers). */
export function revalidationOf(events: readonly InvalidationEvent[]): RevalidationFilter {
  const filter = emptyFilter();
  for (const event of events) addRevalidation(filter, event);
  return filter;
}

/**
 * Revocation reaches sockets: every typed event this instance applies — its own writes', and
 * every other instance's over the Redis or the Postgres bus — re-decides the matching sockets
 * (sign-out, revoke, ban, password change, back-channel logout, key revoke / update / delete /
 * expiry sweep, role changes). Events of one tick (a sign-out everywhere ends many sessions) are
 * re-decided together. L1-only mode: this instance's own writes.
 */
export function watchRevocations(cache: ResilientCacheService, service: WebSocketAuthService, logger: FastifyBaseLogger, metrics?: IMetricsCollector): () => void {
  let pending: PendingFilter | undefined;
  const flush = (): void => {
    const filter = pending;
    pending = undefined;
    if (filter === undefined || service.size === 0) return;
    metrics?.incrementEvent('ws.revocation.pass');
    service.revalidate(filter).catch((error: unknown) => {
      logger.warn({ component: 'ws', code: (error as { code?: string }).code }, 'socket revalidation failed');
    });
  };
  return cache.onInvalidation((event) => {
    if (service.size === 0) return;
    if (pending === undefined) {
      pending = emptyFilter();
      queueMicrotask(flush);
    }
    addRevalidation(pending, event);
  });
}
