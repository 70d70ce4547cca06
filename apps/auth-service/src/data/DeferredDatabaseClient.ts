import type { DatabaseClient, DatabaseHealth, PoolStats } from '@libs/database/types';
import type { FastifyBaseLogger } from 'fastify';
import { TIMED_OUT, waitAtMost } from '../waitAtMost';

/** Options of `DeferredDatabaseClient`. */
export interface DeferredDatabaseOptions {
  /** Opens the real client (connects, and for embedded Postgres starts and migrates it); may throw. */
  open: () => Promise<DatabaseClient>;
  /** Shown in logs and health until the real client exists (no password). */
  redactedUrl: string;
  embedded: boolean;
  logger: FastifyBaseLogger;
  /** First wait between attempts to open; doubles up to `maxRetryMs`. @default 250 */
  retryMs?: number;
  /** @default 1_000 — the time to ready after Postgres appears is at most about this. */
  maxRetryMs?: number;
  /**
   * How long `disconnect` waits for a connection attempt in flight; a client that opens later is
   * closed by the open loop itself. @default 2_000
   */
  disconnectWaitMs?: number;
}

/**
 * Thrown by every database call made before the first connection succeeded: nothing listens
 * yet, so the statement was never sent (a write is safe to resend). Its code makes it a
 * transient, not-applied failure for the repositories' retry, breaker and 503 mapping.
 */
export class DatabaseNotOpenError extends Error {
  readonly code = 'ECONNREFUSED';
  constructor() {
    super('database not reachable yet (start-up)');
    this.name = 'DatabaseNotOpenError';
  }
}

const noPool: PoolStats = { total: 0, idle: 0, waiting: 0 };

const errorCodeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : ((error as Error | null)?.name ?? 'UNKNOWN');
};

/**
 * A `DatabaseClient` that exists before the database does. The server starts with Postgres
 * down (external or embedded): until `open` succeeds, calls fail as transient outages (503 +
 * Retry-After) and the health check reports unhealthy (not ready); `open` is retried in the
 * background and the first success is used for the life of the process — no restart needed.
 */
export class DeferredDatabaseClient implements DatabaseClient {
  readonly #options: DeferredDatabaseOptions;
  #client: DatabaseClient | undefined;
  #lastErrorCode = 'STARTING';
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  readonly #opened: Promise<DatabaseClient | undefined>;
  #firstAttemptDone!: (open: boolean) => void;
  /**
   * Settles after the first attempt to open, true when it succeeded: start-up waits for this
   * (a reachable database is open before the first request) but never for the database itself.
   */
  readonly firstAttempt = new Promise<boolean>((resolve) => (this.#firstAttemptDone = resolve));

  constructor(options: DeferredDatabaseOptions) {
    this.#options = options;
    this.#opened = this.#openLoop();
  }

  get prisma(): DatabaseClient['prisma'] {
    if (this.#client === undefined) throw new DatabaseNotOpenError();
    return this.#client.prisma;
  }

  get redactedUrl(): string {
    return this.#client?.redactedUrl ?? this.#options.redactedUrl;
  }

  get embedded(): boolean {
    return this.#client?.embedded ?? this.#options.embedded;
  }

  /** Whether the first connection has succeeded. */
  get isOpen(): boolean {
    return this.#client !== undefined;
  }

  /** Settles once the database is open (or the client was closed first). */
  async connect(): Promise<void> {
    if ((await this.#opened) === undefined) throw new DatabaseNotOpenError();
  }

  async disconnect(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#wake?.();
    if (this.#client) return this.#client.disconnect();
    const client = await waitAtMost(this.#opened, this.#options.disconnectWaitMs ?? 2_000);
    if (client === TIMED_OUT) this.#options.logger.warn({ database: this.#options.redactedUrl }, 'closing while a connection attempt is in flight: not waiting for it');
    else if (client) await client.disconnect();
  }

  async healthCheck(timeoutMs?: number): Promise<DatabaseHealth> {
    if (this.#client) return this.#client.healthCheck(timeoutMs);
    return { healthy: false, latencyMs: 0, pool: noPool, errorCode: this.#lastErrorCode, embedded: this.#options.embedded };
  }

  poolStats(): PoolStats {
    return this.#client?.poolStats() ?? noPool;
  }

  async #openLoop(): Promise<DatabaseClient | undefined> {
    const { logger, retryMs = 250, maxRetryMs = 1_000 } = this.#options;
    let wait = retryMs;
    let attempts = 0;
    const since = performance.now();
    while (!this.#stopped) {
      attempts++;
      try {
        const client = await this.#options.open();
        if (this.#stopped) {
          await client.disconnect().catch(() => undefined);
          return undefined;
        }
        this.#client = client;
        this.#firstAttemptDone(true);
        if (attempts > 1) logger.info({ attempts, unavailableMs: Math.round(performance.now() - since) }, 'database reachable: serving');
        return client;
      } catch (error) {
        this.#lastErrorCode = errorCodeOf(error);
        // One warning when the outage at start-up begins; the retries themselves at debug.
        const level = attempts === 1 ? 'warn' : 'debug';
        this.#firstAttemptDone(false);
        logger[level]({ database: this.#options.redactedUrl, code: this.#lastErrorCode, retryMs: wait }, 'database unreachable at start-up: answering 503 until it is; retrying');
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, wait);
        this.#timer.unref();
      });
      wait = Math.min(maxRetryMs, wait * 2);
    }
    this.#firstAttemptDone(false);
    return undefined;
  }
}
