/**
 * The tags repositories put on cache entries and invalidate after a write — and their parser.
 * Both come from the two tables below, so a tag built here is always one `parseCacheTag`
 * understands: renaming a tag renames both sides. Whatever listens to invalidations (the app's
 * socket revocation watch) reads tags through `parseCacheTag`, never with string patterns of its
 * own. Cache *keys* (where entries are stored, e.g. a session under a digest of its token) are
 * not part of this contract and may change freely.
 */

/** Rows whose writes invalidate a tag of their own: `<prefix>:<id>`. */
const ROW_TAG_PREFIX = { session: 'session', user: 'user', apiKey: 'apikey' } as const;

/** Tags every entry of a resource carries: dropped by bulk writes whose rows are unknown. */
const BULK_TAG = { session: 'sessions', user: 'users', apiKey: 'apikeys', role: 'roles' } as const;

export type TaggedRow = keyof typeof ROW_TAG_PREFIX;
export type TaggedResource = keyof typeof BULK_TAG;

/** What an invalidated tag stands for. `unknown`: no repository builds it (a listener should not guess). */
export type ParsedCacheTag = { kind: 'row'; resource: TaggedRow; id: string } | { kind: 'bulk'; resource: TaggedResource } | { kind: 'unknown'; tag: string };

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

const rowByPrefix = new Map<string, TaggedRow>(Object.entries(ROW_TAG_PREFIX).map(([resource, prefix]) => [prefix, resource as TaggedRow]));
const bulkByTag = new Map<string, TaggedResource>(Object.entries(BULK_TAG).map(([resource, tag]) => [tag, resource as TaggedResource]));

/**
 * What `tag` (as built by `cacheTags`) stands for. `namespace` is the prefix of the cache view
 * the repositories write through (`''` for the root); a tag outside it is `unknown`.
 */
export function parseCacheTag(tag: string, namespace = ''): ParsedCacheTag {
  if (!tag.startsWith(namespace)) return { kind: 'unknown', tag };
  const local = tag.slice(namespace.length);
  const bulk = bulkByTag.get(local);
  if (bulk) return { kind: 'bulk', resource: bulk };
  const colon = local.indexOf(':');
  const resource = colon > 0 ? rowByPrefix.get(local.slice(0, colon)) : undefined;
  const id = local.slice(colon + 1);
  if (resource && id.length > 0) return { kind: 'row', resource, id };
  return { kind: 'unknown', tag };
}
