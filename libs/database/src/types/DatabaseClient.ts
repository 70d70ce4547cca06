import type { PrismaClient } from '../generated/prisma/client';

/** Pool figures at the time of a health check. */
export interface PoolStats {
  /** Connections open (idle + checked out). */
  total: number;
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
}

export interface DatabaseHealth {
  healthy: boolean;
  /** Round trip of `SELECT 1` in ms (or the time until it failed). */
  latencyMs: number;
  pool: PoolStats;
  /** Stable code of the failure (`ECONNREFUSED`, `57P01`, `TIMEOUT` …); never a message with data. */
  errorCode?: string;
  /** True when this client started its own embedded Postgres. */
  embedded: boolean;
}

/**
 * The seed's `DatabaseClient` (`@libs/database/types`): a Prisma 7 client over a pg pool that
 * survives Postgres restarts. Only repositories inside `@libs/database` touch `prisma`.
 */
export interface DatabaseClient {
  /** The Prisma client (driver adapter `@prisma/adapter-pg`). */
  readonly prisma: PrismaClient;
  /** The connection URL with the password masked, for logs. */
  readonly redactedUrl: string;
  /** True when this client runs on an embedded Postgres it started itself. */
  readonly embedded: boolean;
  /** Opens a first connection, so a wrong URL fails at startup rather than at the first request. */
  connect(): Promise<void>;
  /** Closes the pool (and stops the embedded Postgres, if any). Safe to call twice. */
  disconnect(): Promise<void>;
  /** `SELECT 1` with a timeout; never throws. */
  healthCheck(timeoutMs?: number): Promise<DatabaseHealth>;
  /** Pool figures now. */
  poolStats(): PoolStats;
}
