/**
 * The tags repositories put on cache entries and invalidate after a write: the cache's own
 * mechanism. What crosses the boundary to listeners (the app's socket revocation watch) is the
 * typed `InvalidationEvent` the repositories announce with them, so tags and keys may be renamed
 * freely.
 */

/** Rows whose writes invalidate a tag of their own: `<prefix>:<id>`. */
const ROW_TAG_PREFIX = { session: 'session', user: 'user', apiKey: 'apikey' } as const;

/** Tags every entry of a resource carries: dropped by bulk writes whose rows are unknown. */
const BULK_TAG = { session: 'sessions', user: 'users', apiKey: 'apikeys', role: 'roles' } as const;

export type TaggedRow = keyof typeof ROW_TAG_PREFIX;
export type TaggedResource = keyof typeof BULK_TAG;

const rowTag =
  (resource: TaggedRow) =>
  (id: string): string =>
    `${ROW_TAG_PREFIX[resource]}:${id}`;

/** Tag builders: the only place these strings are spelled. */
export const cacheTags = {
  session: rowTag('session'),
  user: rowTag('user'),
  apiKey: rowTag('apiKey'),
  allSessions: BULK_TAG.session,
  allUsers: BULK_TAG.user,
  allApiKeys: BULK_TAG.apiKey,
  /** On role and permission entries: every role write drops them. */
  roles: BULK_TAG.role,
} as const;

/**
 * The bulk tags: every security-relevant entry (sessions, users, keys, permissions) carries one.
 * The cache drops entries carrying them when a bus may have missed a change, and bounds their
 * trust while no bus is healthy (`CacheOptions.securityTags`).
 */
export const SECURITY_CACHE_TAGS: readonly string[] = Object.freeze(Object.values(BULK_TAG));
