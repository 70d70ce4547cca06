/**
 * What changed, as the repositories announce it and `ResilientCacheService.onInvalidation`
 * subscribers receive it — the public contract of invalidation. Cache keys and tags are how the
 * cache finds the entries to drop; they may be renamed freely, these kinds may not.
 *
 * Per row: one row changed (ended, revoked, banned, refreshed …), `id` is its primary key.
 * Bulk: rows of a kind changed that the writer does not know one by one (`updateMany`, expiry
 * sweeps, any role or permission write). `may-have-missed`: this instance may have missed
 * announcements (a bus reconnected, the cache was cleared) — anything may have changed.
 */
export type InvalidationEvent =
  | { kind: 'session-changed'; id: string }
  | { kind: 'user-changed'; id: string }
  | { kind: 'key-changed'; id: string }
  | { kind: 'all-sessions-changed' }
  | { kind: 'all-users-changed' }
  | { kind: 'all-keys-changed' }
  | { kind: 'roles-changed' }
  | { kind: 'may-have-missed' };

export type InvalidationEventKind = InvalidationEvent['kind'];

const ROW_KINDS: ReadonlySet<string> = new Set(['session-changed', 'user-changed', 'key-changed']);
const BULK_KINDS: ReadonlySet<string> = new Set(['all-sessions-changed', 'all-users-changed', 'all-keys-changed', 'roles-changed', 'may-have-missed']);

/** Validates an event read off a bus (another version, another app on the channel). */
export function isInvalidationEvent(value: unknown): value is InvalidationEvent {
  if (value === null || typeof value !== 'object') return false;
  const { kind, id } = value as { kind?: unknown; id?: unknown };
  if (typeof kind !== 'string') return false;
  if (ROW_KINDS.has(kind)) return typeof id === 'string' && id.length > 0;
  return BULK_KINDS.has(kind);
}

/**
 * A change a writer announces: the typed events, and the cache's own mechanism for them (keys
 * and tags to drop, logical and unprefixed as the writer's cache view sees them).
 */
export interface CacheChange {
  events: InvalidationEvent[];
  keys?: string[];
  tags?: string[];
}

/**
 * A change ready to be announced: `payload` for `pg_notify` (sent inside the writer's
 * transaction, so only a committed write announces it) and `apply` (after the commit: drop
 * locally, in Redis, and publish on the Redis bus under the same message id).
 */
export interface PreparedChange {
  payload: string;
  apply(): Promise<void>;
}
