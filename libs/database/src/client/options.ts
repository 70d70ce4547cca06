import type { DatabaseLogger } from '../types/Logger';

export interface EmbeddedPostgresOptions {
  /** Data directory; falls back to a temp location when the postgres user cannot reach it. @default '<cwd>/.data/postgres' */
  dataDir?: string;
  /** @default 5432 + a free port if taken; 0 = any free port */
  port?: number;
  /** @default 'postgres' */
  user?: string;
  /** @default 'postgres' */
  password?: string;
  /** Database the app uses (created when missing). @default 'app' */
  database?: string;
}

export interface DatabaseClientOptions {
  /** Postgres URL. When absent (and `DATABASE_URL` is unset), an embedded Postgres is started. */
  url?: string;
  /** Maximum pool connections. @default 10 */
  poolMax?: number;
  /** How long to wait for a connection (pg's default, 0, waits forever). @default 5_000 */
  connectionTimeoutMs?: number;
  /** Idle connections are closed after. @default 30_000 */
  idleTimeoutMs?: number;
  /** Server-side `statement_timeout` per statement; 0 disables it. @default 30_000 */
  statementTimeoutMs?: number;
  /**
   * Server-side `lock_timeout`: a statement waiting this long for a lock (a table another
   * transaction holds, a row being updated) fails with 55P03 — a transient error, answered as
   * an outage — instead of waiting up to the statement timeout. 0 disables it. @default 5_000
   */
  lockTimeoutMs?: number;
  /**
   * Client-side bound of one query (pg's `query_timeout`), for a server that never answers (a
   * black-holed network): the query fails with "Query read timeout" (transient) and the pool
   * destroys that connection instead of handing it out again. Keep it above the statement
   * timeout, so the server normally cancels first. 0 disables it.
   * @default statementTimeoutMs + 1_000 (0 when the statement timeout is off)
   */
  queryTimeoutMs?: number;
  /**
   * What `healthCheck` runs. `SELECT 1` proves the server answers; `SERVING_TABLES_HEALTH_CHECK_SQL`
   * also reads the user and session tables, so a lock held on them (a migration, a runaway
   * transaction) makes the check fail within the lock timeout: readiness reports it and the
   * repositories' breakers stay open until the lock is gone. @default 'SELECT 1'
   */
  healthCheckSql?: string;
  /** `application_name` seen in `pg_stat_activity`. @default 'libs-database' */
  applicationName?: string;
  /** Apply the committed migrations on startup. @default true for embedded, false with a URL */
  migrate?: boolean;
  /** Embedded Postgres settings (used only without a URL). */
  embedded?: EmbeddedPostgresOptions;
  /** Pino-shaped logger. @default silent */
  logger?: DatabaseLogger;
}

export const DEFAULT_DATABASE_CLIENT_OPTIONS = {
  poolMax: 10,
  connectionTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 5_000,
  healthCheckSql: 'SELECT 1',
  applicationName: 'libs-database',
} as const;

/** A health check that needs the tables every sign-in and session read needs (see `healthCheckSql`). */
export const SERVING_TABLES_HEALTH_CHECK_SQL = 'SELECT (SELECT 1 FROM "User" LIMIT 1) AS u, (SELECT 1 FROM "UserSession" LIMIT 1) AS s';

/** How far the client-side query bound sits above the server's statement timeout by default. */
export const QUERY_TIMEOUT_MARGIN_MS = 1_000;

/** The `options` startup parameter: server settings applied to every connection, no extra round trip. */
export function startupOptions(settings: { statementTimeoutMs: number; lockTimeoutMs: number }): string | undefined {
  const parts: string[] = [];
  if (settings.statementTimeoutMs > 0) parts.push(`-c statement_timeout=${Math.floor(settings.statementTimeoutMs)}`);
  if (settings.lockTimeoutMs > 0) parts.push(`-c lock_timeout=${Math.floor(settings.lockTimeoutMs)}`);
  return parts.length ? parts.join(' ') : undefined;
}

/** The URL with its password replaced by `***`, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}
