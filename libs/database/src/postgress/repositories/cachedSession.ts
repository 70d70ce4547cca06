import { LRUCache } from 'lru-cache';
import { reviveUserSession, UserSessionSchema, type UserSession } from '../../models';

/**
 * What the cache holds of a session: the row without its token (Redis holds no credential; the
 * key is already a digest of it) and without its null fields (most of a session's 24 columns are
 * null: OIDC tokens, end, metadata, organisation), its repeated strings (user id, user agent,
 * address, store) shared between rows. With 100,000 cached sessions the full rows were most of
 * the server's heap. `sessionWithToken` turns it back into the row callers see.
 */
export type CachedSession = Readonly<Partial<UserSession>>;

/** Every nullable column, null: what a cached session leaves out. */
const NULL_FIELDS: Readonly<Record<string, null>> = Object.freeze({
  storeId: null,
  ipAddress: null,
  userAgent: null,
  keycloakSessionId: null,
  accessToken: null,
  refreshToken: null,
  idToken: null,
  accessTokenExpiresAt: null,
  refreshTokenExpiresAt: null,
  fingerprint: null,
  deviceInfo: null,
  endedAt: null,
  endReason: null,
  metadata: null,
  activeOrganizationId: null,
  activeTeamId: null,
});

/** Strings many sessions repeat; bounded (cleared when full) so odd values cannot grow it. */
const SHARED_MAX = 10_000;
const shared = new Map<string, string>();
const SHARED_FIELDS = new Set(['userId', 'userAgent', 'ipAddress', 'storeId', 'activeOrganizationId', 'activeTeamId']);

function share(value: string): string {
  const known = shared.get(value);
  if (known !== undefined) return known;
  if (shared.size >= SHARED_MAX) shared.clear();
  shared.set(value, value);
  return value;
}

/** The cached form of a session row (a new object; the row is not changed). */
export function toCachedSession(row: UserSession): CachedSession {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined || key === 'token') continue;
    out[key] = typeof value === 'string' && SHARED_FIELDS.has(key) ? share(value) : value;
  }
  return out as CachedSession;
}

/**
 * A cached session read back (from Redis: JSON with Dates revived), checked against the row's
 * schema and made compact again. Accepts whole rows too (what earlier versions cached).
 */
export function reviveCachedSession(value: unknown): CachedSession {
  const row = reviveUserSession({ ...NULL_FIELDS, ...(value as object), token: '' });
  return toCachedSession(row);
}

/**
 * The whole row for a cached session with the presented token put back. Made once per cached
 * object for the most recently used sessions, so hits on a busy session share one read-only
 * row (the cache's contract) instead of copying it every time; a session outside them is
 * rebuilt (a copy of a few dozen fields) on its next hit.
 */
const ROWS_MEMO = 10_000;
const COLUMNS = Object.keys(UserSessionSchema.shape);
const rows = new LRUCache<CachedSession, UserSession>({ max: ROWS_MEMO });

export function sessionWithToken(cached: CachedSession, token: string): UserSession {
  let session = rows.get(cached);
  if (session?.token !== token) {
    const row: Record<string, unknown> = {};
    // In the row's column order, as Prisma returns it.
    for (const key of COLUMNS) row[key] = key === 'token' ? token : ((cached as Record<string, unknown>)[key] ?? null);
    for (const key of Object.keys(cached)) if (!(key in row)) row[key] = (cached as Record<string, unknown>)[key];
    session = (Object.isFrozen(cached) ? Object.freeze(row) : row) as unknown as UserSession;
    rows.set(cached, session);
  }
  return session;
}
