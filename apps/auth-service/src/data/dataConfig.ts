import { z } from 'zod';

/** Database timeouts and L1 cache bounds; merged into the app's config schema. */
export const dataConfigShape = {
  /**
   * Server-side `statement_timeout`: the longest one statement may run. A statement past it is
   * cancelled (57014, transient: the request answers 503 + Retry-After) and its connection freed.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * Server-side `lock_timeout`: the longest a statement waits for a lock (a table or row another
   * transaction holds). Past it: 55P03, transient, 503 + Retry-After; never a wait up to the
   * statement timeout. At most the statement timeout.
   */
  DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(50).max(600_000).default(1_000),
  /**
   * How long a request waits for a pooled connection (queue + connect). Past it: 503, and the
   * attempt is not repeated. Postgres going down mid-shutdown accepts connections it never serves;
   * this bounds that wait.
   */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** Pooled connections to Postgres per instance. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1_000).default(10),
  /**
   * Entries the in-process (L1) cache keeps: sessions, users, keys, roles. Size it to the live
   * sessions an instance serves (each costs about 4 KB of RSS, measured by tools/chaos memory-at-scale).
   */
  CACHE_L1_MAX_ENTRIES: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  /** Bound of the L1 cache in bytes (values measured as their serialized length). */
  CACHE_L1_MAX_BYTES: z.coerce.number().int().min(1_024).max(16 * 1024 ** 3).default(64 * 1024 * 1024),
  /**
   * API-key usage (`usageCount`, `lastUsedAt`) is buffered in memory and written at least this
   * often (or every 10,000 verifications), never once per request. Lost on a crash: at most this much.
   */
  API_KEY_USAGE_FLUSH_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
};
