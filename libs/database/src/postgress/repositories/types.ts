import type { IMetricsCollector } from '@libs/monitoring';
import type { ResilienceRegistry, RetryOptions } from '@libs/utils/src/executeWithRetry';
import type { ICache } from '../../cache/ICache';
import type { DatabaseClient } from '../../types/DatabaseClient';
import type { DatabaseLogger } from '../../types/Logger';
import type { ReplicaRouter } from '../../replicas/ReplicaRouter';

/**
 * Retry policy of a repository: the fields of `RetryOptions` a repository lets you set (the rest
 * is fixed by the repository). Defaults are the repository's own, `DEFAULT_REPOSITORY_RETRY_OPTIONS`
 * (maxRetries 3, baseDelayMs 50, maxDelayMs 1_000, breaker on, threshold 5, reset 500 → 5_000 ms,
 * 3 half-open calls), not `RetryOptions`'; `attemptTimeoutMs` applies to reads and idempotent
 * writes only; `breakerKey` defaults to `'db.<repository>'` (repositories sharing a key fail fast together).
 */
export interface RepositoryRetryOptions
  extends Pick<
    RetryOptions,
    | 'maxRetries'
    | 'baseDelayMs'
    | 'maxDelayMs'
    | 'attemptTimeoutMs'
    | 'enableCircuitBreaker'
    | 'circuitBreakerThreshold'
    | 'circuitBreakerResetMs'
    | 'circuitBreakerMaxResetMs'
    | 'circuitBreakerHalfOpenCalls'
    | 'breakerKey'
  > {
  /**
   * While the breaker is open, `db.healthCheck` runs this often and, once Postgres answers, lets
   * trials through at once instead of waiting out the reset; 0 turns it off. @default 200
   */
  recoveryCheckMs?: number;
}

export const DEFAULT_REPOSITORY_RETRY_OPTIONS = {
  maxRetries: 3,
  baseDelayMs: 50,
  maxDelayMs: 1_000,
  enableCircuitBreaker: true,
  circuitBreakerThreshold: 5,
  circuitBreakerResetMs: 500,
  circuitBreakerMaxResetMs: 5_000,
  circuitBreakerHalfOpenCalls: 3,
  recoveryCheckMs: 200,
} as const;

/** What every repository is built from (the seed: "db, metrics, cache"). */
export interface RepositoryDependencies {
  db: DatabaseClient;
  /** Per-operation timings and outcomes. @default none */
  metrics?: IMetricsCollector;
  /** Caches hot finders and is invalidated by writes. @default none */
  cache?: ICache;
  /**
   * The Postgres invalidation bus channel (the cache's `postgresBus.channel`). When set, the
   * security-relevant repositories (sessions, users, keys, roles) send each change with
   * `pg_notify` inside the write's transaction. @default none (Redis bus only)
   */
  notifyChannel?: string;
  /** Pino-shaped logger: retries at warn, final failures at error, slow queries at warn. @default silent */
  logger?: DatabaseLogger;
  retry?: RepositoryRetryOptions;
  /** Queries slower than this are logged at warn. @default 500 */
  slowQueryMs?: number;
  /**
   * Where the repositories' breakers and retry budgets live: an app context passes its own so
   * that its breakers are not shared with another context in the process. @default the process default
   */
  resilience?: ResilienceRegistry;
  /**
   * Read replicas: reads a repository method marks lag-tolerant (lists, search, stats) go to a
   * healthy replica within the lag bound; everything else stays on `db`. Writes are reported to it
   * for read-your-writes. @default none (every read on `db`)
   */
  replicas?: ReplicaRouter;
}

/**
 * Where a read may be answered from. `primary`: always current (what status, session and
 * permission checks need). `replica`: may be behind by up to the router's lag bound, and is
 * current anyway after the caller's own writes (read-your-writes); for lists, search and stats.
 */
export type ReadFrom = 'primary' | 'replica';

export type SortOrder = 'asc' | 'desc';

/** The seed's query options: where, select, include, orderBy, skip, take. */
export interface FindManyOptions<TWhere = Record<string, unknown>> {
  where?: TWhere;
  select?: Record<string, unknown>;
  include?: Record<string, unknown>;
  orderBy?: Record<string, unknown> | Array<Record<string, unknown>>;
  skip?: number;
  take?: number;
  /** Also return soft-deleted rows (repositories with soft delete hide them). @default false */
  includeDeleted?: boolean;
  /** @default 'primary' */
  readFrom?: ReadFrom;
}

export type FindFirstOptions<TWhere = Record<string, unknown>> = Omit<FindManyOptions<TWhere>, 'take'>;

export interface FindByIdOptions {
  select?: Record<string, unknown>;
  include?: Record<string, unknown>;
  /** @default false */
  includeDeleted?: boolean;
}

export interface PaginateOptions<TWhere = Record<string, unknown>> extends Omit<FindManyOptions<TWhere>, 'skip' | 'take'> {
  /** 1-based. @default 1 */
  page?: number;
  /** Capped at 1,000. @default 20 */
  pageSize?: number;
}

export type IsolationLevel = 'ReadUncommitted' | 'ReadCommitted' | 'RepeatableRead' | 'Serializable';

export interface TransactionOptions {
  /** @default 'ReadCommitted' (Postgres' default) */
  isolationLevel?: IsolationLevel;
  /** Whole-transaction retries on serialization failures and deadlocks. @default 5 */
  maxRetries?: number;
  /** Longest the transaction may stay open. @default 10_000 */
  timeoutMs?: number;
  /** Longest wait for a connection to start it. @default 5_000 */
  maxWaitMs?: number;
}

export const DEFAULT_TRANSACTION_OPTIONS = {
  isolationLevel: 'ReadCommitted',
  maxRetries: 5,
  timeoutMs: 10_000,
  maxWaitMs: 5_000,
} as const;

/** The seed's repository figures (`getMetrics()`). */
export interface RepositoryMetrics {
  operationCount: number;
  errorCount: number;
  /** Mean duration in ms, retries included. */
  averageResponseTime: number;
  /** Epoch ms of the last operation, or null. */
  lastOperationTime: number | null;
}
