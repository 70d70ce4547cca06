import type { ResilientCacheService } from '@libs/database/cache';
import { parseCacheTag } from '@libs/database/postgress/repositories';
import type { IMetricsCollector } from '@libs/monitoring';
import type { FastifyBaseLogger } from 'fastify';
import type { RevalidationFilter, WebSocketAuthService } from './WebSocketAuthService';

/** What the cache's bus announces (its own writes and every other instance's). */
export type Invalidation = Parameters<Parameters<ResilientCacheService['onInvalidation']>[0]>[0];

/**
 * Which sockets an invalidation concerns, read through the repositories' tag contract
 * (`parseCacheTag`): a session, user or key row → its sockets; a bulk tag → every socket of that
 * kind (roles: every key socket, whose grant is intersected with its owner's permissions); a
 * `clear` → all. A tag no repository builds is `unknown`: every socket is re-decided (a
 * renamed tag costs checks, never a revocation) and the caller counts it.
 */
export function revalidationOf(what: Invalidation, namespace = ''): { filter: RevalidationFilter | null; unknownTags: string[] } {
  if (what.type === 'clear') return { filter: { all: true }, unknownTags: [] };
  if (what.type !== 'tags') return { filter: null, unknownTags: [] };
  const sessionIds: string[] = [];
  const userIds: string[] = [];
  const apiKeyIds: string[] = [];
  const filter: RevalidationFilter = { sessionIds, userIds, apiKeyIds };
  const unknownTags: string[] = [];
  for (const tag of what.tags) {
    const parsed = parseCacheTag(tag, namespace);
    switch (parsed.kind) {
      case 'row':
        if (parsed.resource === 'session') sessionIds.push(parsed.id);
        else if (parsed.resource === 'user') userIds.push(parsed.id);
        else apiKeyIds.push(parsed.id);
        break;
      case 'bulk':
        if (parsed.resource === 'session') filter.allSessions = true;
        else if (parsed.resource === 'user') filter.all = true;
        else filter.allKeys = true;
        break;
      default:
        unknownTags.push(parsed.tag);
        filter.all = true;
    }
  }
  const empty = !filter.all && !filter.allSessions && !filter.allKeys && sessionIds.length + userIds.length + apiKeyIds.length === 0;
  return { filter: empty ? null : filter, unknownTags };
}

/**
 * Revocation reaches sockets: every invalidation this instance applies — its own writes, and
 * every other instance's over the cache's Redis bus — re-decides the matching sockets (sign-out,
 * revoke, ban, password change, back-channel logout, key revoke / update / delete / expiry
 * sweep, role changes all end or change those rows). L1-only mode: this instance's own writes.
 */
export function watchRevocations(cache: ResilientCacheService, service: WebSocketAuthService, logger: FastifyBaseLogger, metrics?: IMetricsCollector): () => void {
  return cache.onInvalidation((what) => {
    if (service.size === 0) return;
    const { filter, unknownTags } = revalidationOf(what, cache.prefix);
    if (unknownTags.length > 0) {
      metrics?.incrementEvent('ws.revocation.unknown_tag');
      logger.warn({ component: 'ws', tags: unknownTags.slice(0, 5) }, 'invalidation with a tag the repositories do not build: every socket re-checked');
    }
    if (!filter) return;
    service.revalidate(filter).catch((error: unknown) => {
      logger.warn({ component: 'ws', code: (error as { code?: string }).code }, 'socket revalidation failed');
    });
  });
}
