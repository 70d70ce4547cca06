import type { IMetricsCollector } from '@libs/monitoring';
import { executeWithRetry, isSafeToRetryWrite, type ResilienceRegistry, type RetryOptions } from '@libs/utils/src/executeWithRetry';
import { isRepositoryError, type RepositoryError } from '../../errors/RepositoryError';
import { toRepositoryError } from '../../errors/toRepositoryError';
import type { DatabaseClient } from '../../types/DatabaseClient';
import { silentLogger, type DatabaseLogger } from '../../types/Logger';
import { watchDatabaseRecovery } from './databaseRecovery';
import { isDatabaseError } from './isDatabaseError';
import { countsForBreaker, isAmbiguousWriteError, repeatAfter, retryIdempotent, withConnectionFailureCode } from './retryClassification';
import { DEFAULT_REPOSITORY_RETRY_OPTIONS, type RepositoryMetrics, type RepositoryRetryOptions } from './types';

function describeUnclassified(error: unknown): { errorName: string; errorMessage: string } {
  const e = error as { name?: unknown; message?: unknown } | null;
  return { errorName: typeof e?.name === 'string' ? e.name : typeof error, errorMessage: typeof e?.message === 'string' ? e.message.slice(0, 200) : String(error).slice(0, 200) };
}

/** Event counted once per database attempt (every try of every repository operation). */
export const DATABASE_ATTEMPTS_EVENT = 'database_attempts';

export interface OperationOptions<T> {
  /**
   * Reads and writes that give the same result when repeated. Others are resent only when the
   * failure proves they did not reach the database. @default true
   */
  idempotent?: boolean;
  /**
   * For a non-idempotent write whose outcome is unknown (connection lost mid-flight): finds out
   * whether it landed. Returning a value means "it did, here is the result"; `undefined` means
   * "it did not", and the write is sent once more.
   */
  reconcile?: () => Promise<T | undefined>;
}

export interface OperationRunnerOptions {
  repository: string;
  metrics?: IMetricsCollector;
  logger?: DatabaseLogger;
  retry?: RepositoryRetryOptions;
  slowQueryMs?: number;
  /** Where the breaker and retry budget live. @default the process default */
  resilience?: ResilienceRegistry;
  /** The database whose health check releases the breaker after an outage (see `recoveryCheckMs`). */
  db?: DatabaseClient;
}

/**
 * `executeOperation` of the seed: every repository call goes through `run`, which applies the
 * retry policy and the repository's shared breaker (`executeWithRetry`), records metrics and
 * maps failures to `RepositoryError`. Inside a transaction (`direct`) there is no retry: one
 * failed statement aborts the transaction, so only the whole transaction is retried.
 */
export class OperationRunner {
  readonly repository: string;
  readonly #metrics?: IMetricsCollector;
  readonly #logger: DatabaseLogger;
  readonly #slowQueryMs: number;
  readonly #idempotentOptions: RetryOptions;
  readonly #writeOptions: RetryOptions;
  readonly #names = new Map<string, string>();
  readonly #readOptionsByName = new Map<string, RetryOptions>();
  readonly #writeOptionsByName = new Map<string, RetryOptions>();
  readonly #maxRetries: number;
  #count = 0;
  #errors = 0;
  #totalMs = 0;
  #last: number | null = null;

  constructor(options: OperationRunnerOptions) {
    this.repository = options.repository;
    this.#metrics = options.metrics;
    this.#logger = options.logger ?? silentLogger;
    this.#slowQueryMs = options.slowQueryMs ?? 500;
    const retry = { ...DEFAULT_REPOSITORY_RETRY_OPTIONS, ...options.retry };
    this.#maxRetries = retry.maxRetries;
    const breakerKey = retry.breakerKey ?? `db.${options.repository}`;
    const base: RetryOptions = {
      breakerKey,
      maxRetries: retry.maxRetries,
      baseDelayMs: retry.baseDelayMs,
      maxDelayMs: retry.maxDelayMs,
      enableCircuitBreaker: retry.enableCircuitBreaker,
      circuitBreakerThreshold: retry.circuitBreakerThreshold,
      circuitBreakerResetMs: retry.circuitBreakerResetMs,
      circuitBreakerMaxResetMs: retry.circuitBreakerMaxResetMs,
      circuitBreakerHalfOpenCalls: retry.circuitBreakerHalfOpenCalls,
      registry: options.resilience,
      logger: options.logger,
      // A lock, statement or connect timeout counts for the breaker but is not repeated: the wait is the cost.
      isRepeatable: repeatAfter,
      // Waiting for a pooled connection is load: answered as an outage, not counted as one.
      isBreakerFailure: countsForBreaker,
    };
    if (retry.enableCircuitBreaker && options.db !== undefined) watchDatabaseRecovery(options.resilience, options.db, breakerKey, retry.recoveryCheckMs, options.logger);
    this.#idempotentOptions = { ...base, attemptTimeoutMs: retry.attemptTimeoutMs, isRetryable: retryIdempotent };
    // No per-attempt timeout on writes: abandoning a write that is still running makes it ambiguous.
    // Non-idempotent writes are resent only when the failure proves they never applied.
    this.#writeOptions = { ...base, isRetryable: isSafeToRetryWrite };
  }

  #name(operation: string): string {
    let name = this.#names.get(operation);
    if (name === undefined) {
      name = `${this.repository}.${operation}`;
      this.#names.set(operation, name);
    }
    return name;
  }

  /** Runs `fn` with the repository's retry policy and breaker. */
  async run<T>(operation: string, fn: () => Promise<T>, options: OperationOptions<T> = {}): Promise<T> {
    const name = this.#name(operation);
    const idempotent = options.idempotent ?? true;
    const started = performance.now();
    try {
      const value = await this.#attempt(name, fn, idempotent);
      this.#done(name, started, true);
      return value;
    } catch (error) {
      if (options.reconcile && !isRepositoryError(error) && isAmbiguousWriteError(error)) {
        try {
          const value = await this.#reconcile(name, fn, options.reconcile);
          this.#done(name, started, true);
          return value;
        } catch (second) {
          throw this.#fail(name, started, second, !idempotent);
        }
      }
      throw this.#fail(name, started, error, !idempotent);
    }
  }

  /**
   * Runs a whole transaction; reruns it on serialization failures, deadlocks and failures to
   * connect (the transaction was rolled back or never started). Errors that are not database
   * errors (thrown by the caller's own code) come back unchanged.
   */
  async runTransaction<T>(fn: () => Promise<T>, maxRetries: number): Promise<T> {
    const name = this.#name('transaction');
    const started = performance.now();
    try {
      const value = await executeWithRetry(this.#counted(fn), undefined, { ...this.#writeOptions, operationName: name, maxRetries }, this.#metrics);
      this.#done(name, started, true);
      return value;
    } catch (error) {
      if (!isDatabaseError(error)) {
        this.#done(name, started, false);
        throw error;
      }
      throw this.#fail(name, started, error, true);
    }
  }

  /** Runs `fn` once (inside a transaction); errors are mapped but not retried. */
  async direct<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const name = this.#name(operation);
    const started = performance.now();
    try {
      const value = await fn();
      this.#done(name, started, true);
      return value;
    } catch (error) {
      throw this.#fail(name, started, error, false);
    }
  }

  /** Records an input rejected before any query (no database call was made). */
  rejectInput(operation: string, error: unknown): RepositoryError {
    const name = this.#name(operation);
    this.#metrics?.recordOperation(name, 0, false, 'VALIDATION');
    return this.#fail(name, performance.now(), error, false);
  }

  #attempt<T>(name: string, fn: () => Promise<T>, idempotent: boolean): Promise<T> {
    return executeWithRetry(this.#counted(fn), undefined, this.#optionsFor(name, idempotent), this.#metrics);
  }

  /**
   * Every call of `fn` is one attempt on the database: counted as the `database_attempts` event,
   * so attempts per request can be read from the server's own metrics (none while a breaker is open).
   */
  #counted<T>(fn: () => Promise<T>): () => Promise<T> {
    const metrics = this.#metrics;
    // A code-less pg connection failure gets its code here, before the retry loop logs and classifies it.
    const tagged = () => fn().catch((error: unknown) => Promise.reject(withConnectionFailureCode(error)));
    if (!metrics) return tagged;
    return () => {
      metrics.incrementEvent(DATABASE_ATTEMPTS_EVENT);
      return tagged();
    };
  }

  // One frozen options object per operation: building one per call cost more than the retry
  // machinery itself on the hot read path (measured in tools/bench/repository.bench.ts).
  #optionsFor(name: string, idempotent: boolean): RetryOptions {
    const cache = idempotent ? this.#readOptionsByName : this.#writeOptionsByName;
    let options = cache.get(name);
    if (options === undefined) {
      options = Object.freeze({ ...(idempotent ? this.#idempotentOptions : this.#writeOptions), operationName: name });
      cache.set(name, options);
    }
    return options;
  }

  /** Up to `maxRetries` rounds of: did the write land? if not, send it again. */
  async #reconcile<T>(name: string, fn: () => Promise<T>, reconcile: () => Promise<T | undefined>): Promise<T> {
    for (let round = 1; ; round++) {
      this.#logger.warn?.({ op: name, round }, 'write outcome unknown after a lost connection; checking whether it landed');
      const landed = await this.#attempt(`${name}.reconcile`, reconcile, true);
      if (landed !== undefined) return landed;
      try {
        return await this.#attempt(name, fn, false);
      } catch (error) {
        if (round >= this.#maxRetries || !isAmbiguousWriteError(error)) throw error;
      }
    }
  }

  #done(name: string, started: number, success: boolean): void {
    const ms = performance.now() - started;
    this.#count++;
    this.#totalMs += ms;
    this.#last = Date.now();
    if (!success) this.#errors++;
    if (ms > this.#slowQueryMs) this.#logger.warn?.({ op: name, durationMs: Math.round(ms) }, 'slow repository operation');
  }

  #fail(name: string, started: number, error: unknown, ambiguous: boolean): RepositoryError {
    const mapped = toRepositoryError(error, name, { ambiguous: ambiguous && isAmbiguousWriteError(error) });
    this.#done(name, started, false);
    // CIRCUIT_OPEN is every call while a breaker is open: the breaker logs its opening and
    // closing once; logging each refused call would flood the log for the whole outage.
    const level = mapped.code === 'NOT_FOUND' || mapped.code === 'VALIDATION' || mapped.code === 'UNIQUE_VIOLATION' || mapped.code === 'CIRCUIT_OPEN' ? 'debug' : 'error';
    // An error nothing classified: its class and message (cut short), so the log says what it was.
    const unclassified = mapped.code === 'UNKNOWN' ? describeUnclassified(error) : undefined;
    this.#logger[level]?.({ op: name, code: mapped.code, ambiguous: mapped.ambiguous || undefined, ...unclassified }, 'repository operation failed');
    return mapped;
  }

  metrics(): RepositoryMetrics {
    return {
      operationCount: this.#count,
      errorCount: this.#errors,
      averageResponseTime: this.#count === 0 ? 0 : this.#totalMs / this.#count,
      lastOperationTime: this.#last,
    };
  }
}
