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
  applicationName: 'libs-database',
} as const;

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
