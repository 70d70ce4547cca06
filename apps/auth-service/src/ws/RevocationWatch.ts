import type { ResilientCacheService } from '@libs/database/cache';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocketAuthService } from './WebSocketAuthService';

const SESSION_TAG = /(?:^|:)session:([^:]+)$/;
const USER_TAG = /(?:^|:)user:([^:]+)$/;
const BULK_TAG = /(?:^|:)(sessions|users)$/;

/**
 * Revocation reaches sockets: every session or user invalidation this instance applies — its own
 * writes, and every other instance's over the cache's Redis bus — re-decides the matching sockets
 * (sign-out, revoke, ban, password change, back-channel logout all end or change those rows).
 * L1-only mode: this instance's own writes.
 */
export function watchRevocations(cache: ResilientCacheService, service: WebSocketAuthService, logger: FastifyBaseLogger): () => void {
  return cache.onInvalidation((what) => {
    if (service.size === 0) return;
    const sessionIds: string[] = [];
    const userIds: string[] = [];
    let all = what.type === 'clear';
    if (what.type === 'tags') {
      for (const tag of what.tags) {
        const session = SESSION_TAG.exec(tag);
        const user = USER_TAG.exec(tag);
        if (session) sessionIds.push(session[1]);
        else if (user) userIds.push(user[1]);
        else if (BULK_TAG.test(tag)) all = true;
      }
    }
    if (!all && sessionIds.length === 0 && userIds.length === 0) return;
    service.revalidate({ sessionIds, userIds, all }).catch((error: unknown) => {
      logger.warn({ component: 'ws', code: (error as { code?: string }).code }, 'socket revalidation failed');
    });
  });
}
