import type { IMetricsCollector } from '@libs/monitoring';
import { defaultResilienceRegistry, executeWithRetry, isTransientError, type ResilienceRegistry, type RetryOptions } from '@libs/utils/src/executeWithRetry';
import type { PrismaClient } from '../generated/prisma/client';
import { watchDatabaseRecovery } from '../postgress/repositories/databaseRecovery';
import { connectionFailureCode } from '../postgress/repositories/retryClassification';
import type { DatabaseClient } from '../types/DatabaseClient';
import { silentLogger, type DatabaseLogger } from '../types/Logger';
import { ReadConsistency, type ReadConsistencyOptions } from './ReadConsistency';
import { measureReplicaLag, primaryWalPosition } from './replicaLag';

/** Options of a `ReplicaRouter`. */
export interface ReplicaRouterOptions extends ReadConsistencyOptions {
  /** Writes, transactions, read-your-writes and every read that must be current. */
  primary: DatabaseClient;
  /** Hot standbys streaming from `primary`; lag-tolerant reads are spread over the healthy ones. */
  replicas: DatabaseClient[];
  /** A replica further behind than this gets no reads until it catches up. @default 5_000 */
  maxLagMs?: number;
  /** How often each replica's lag is measured (the bound holds to within this). @default 1_000 */
  lagCheckMs?: number;
  /** Breaker key of the replica (`<key>-<n>` with several). @default 'postgres-replica' */
  breakerKey?: string;
  /** Consecutive connection failures that open a replica's breaker. @default 3 */
  breakerThreshold?: number;
  /** Open → first trial reads after (a recovery check releases it sooner). @default 1_000 */
  breakerResetMs?: number;
  /** Where the replica breakers live: the app context's registry. @default the process default */
  resilience?: ResilienceRegistry;
  metrics?: IMetricsCollector;
  logger?: DatabaseLogger;
}

export const DEFAULT_REPLICA_ROUTER_OPTIONS = {
  maxLagMs: 5_000,
  lagCheckMs: 1_000,
  breakerKey: 'postgres-replica',
  breakerThreshold: 3,
  breakerResetMs: 1_000,
} as const;

/** `ready`: gets reads; `lagging`: behind past the bound; `down`: its lag check or breaker failed; `unknown`: not measured yet. */
export type ReplicaState = 'ready' | 'lagging' | 'down' | 'unknown';

/** One replica as health endpoints and metrics show it (no URL password). */
export interface ReplicaStatus {
  /** The breaker key, also the `replica` label of the metrics. */
  name: string;
  url: string;
  state: ReplicaState;
  /** Seconds behind at the last check; null when it could not be measured. */
  lagSeconds: number | null;
  breaker: string;
  /** Stable code of the last failed check. */
  errorCode?: string;
  /** Epoch ms of the last check. */
  checkedAt: number | null;
}

/** Events counted on the metrics collector. */
export const REPLICA_EVENTS = { read: 'database.replica.read', fallback: 'database.replica.fallback' } as const;

interface Replica {
  name: string;
  client: DatabaseClient;
  retry: RetryOptions;
  lagSeconds: number | null;
  errorCode?: string;
  checkedAt: number | null;
}

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : (connectionFailureCode(error) ?? (error as Error | null)?.name ?? 'UNKNOWN');
};

/**
 * Sends lag-tolerant reads to a replica and everything else to the primary.
 *
 * Not `@prisma/extension-read-replicas` (0.5 does run on Prisma 7 with adapter-pg): it sends
 * every find/count of the extended client to a random replica — a session or ban lookup included
 * unless each call site remembers `$primary()` — keeps `$queryRaw` on the primary, has no health,
 * breaker or lag bound (a stopped replica is an error to the caller) and no read-your-writes.
 * Here a read goes to a replica only when its repository method asks (`BaseRepository.lagTolerant`),
 * the scope has not written and the actor has no write within `readYourWritesMs`, and a replica
 * is measured within `maxLagMs` with its breaker not open. Any failure on the replica is answered
 * from the primary: a sick replica costs latency, never an error.
 */
export class ReplicaRouter {
  readonly primary: DatabaseClient;
  readonly consistency: ReadConsistency;
  readonly maxLagMs: number;
  readonly #replicas: Replica[];
  readonly #registry: ResilienceRegistry;
  readonly #metrics?: IMetricsCollector;
  readonly #logger: DatabaseLogger;
  readonly #timer: NodeJS.Timeout | undefined;
  #next = 0;
  #checking: Promise<void> | undefined;
  #closed = false;

  constructor(options: ReplicaRouterOptions) {
    const opts = { ...DEFAULT_REPLICA_ROUTER_OPTIONS, ...options };
    this.primary = opts.primary;
    this.maxLagMs = opts.maxLagMs;
    this.consistency = new ReadConsistency(opts);
    this.#registry = opts.resilience ?? defaultResilienceRegistry;
    this.#metrics = opts.metrics;
    this.#logger = opts.logger ?? silentLogger;
    this.#replicas = opts.replicas.map((client, i) => {
      const name = opts.replicas.length === 1 ? opts.breakerKey : `${opts.breakerKey}-${i + 1}`;
      // While the breaker is open, the replica's health check lets trial reads through as soon as it answers.
      watchDatabaseRecovery(this.#registry, client, name, Math.min(200, opts.lagCheckMs), this.#logger);
      const retry: RetryOptions = {
        breakerKey: name,
        operationName: `${name}.read`,
        maxRetries: 0,
        circuitBreakerThreshold: opts.breakerThreshold,
        circuitBreakerResetMs: opts.breakerResetMs,
        registry: this.#registry,
        logger: this.#logger,
        isRetryable: isTransientError,
      };
      return { name, client, retry, lagSeconds: null, checkedAt: null };
    });
    if (this.#replicas.length > 0 && opts.lagCheckMs > 0) {
      void this.checkLag();
      this.#timer = setInterval(() => void this.checkLag(), opts.lagCheckMs);
      this.#timer.unref();
    }
  }

  /**
   * Runs a lag-tolerant read on a healthy replica, or on the primary when the scope requires it,
   * no replica qualifies, or the replica fails (the primary's answer — or error — is the caller's).
   */
  async read<R>(query: (client: PrismaClient) => Promise<R>): Promise<R> {
    const replica = this.consistency.requiresPrimary() ? undefined : this.#pick();
    if (replica === undefined) return query(this.primary.prisma);
    try {
      const value = await executeWithRetry(() => query(replica.client.prisma), undefined, replica.retry, this.#metrics);
      this.#metrics?.incrementEvent(REPLICA_EVENTS.read);
      return value;
    } catch (error) {
      this.#metrics?.incrementEvent(REPLICA_EVENTS.fallback);
      this.#logger.debug?.({ replica: replica.name, code: codeOf(error) }, 'replica read failed; answered from the primary');
      return query(this.primary.prisma);
    }
  }

  /** Records a write (read-your-writes): the repositories call it after each one. */
  noteWrite(actor?: string): void {
    this.consistency.noteWrite(actor);
  }

  /** Measures every replica's lag once (the timer does this every `lagCheckMs`). */
  checkLag(): Promise<void> {
    this.#checking ??= this.#checkLag().finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  async #checkLag(): Promise<void> {
    if (this.#closed) return;
    let primaryLsn: string;
    try {
      primaryLsn = await primaryWalPosition(this.primary);
    } catch (error) {
      // Without the primary's position no replica's lag can be bounded: none gets reads.
      for (const replica of this.#replicas) this.#record(replica, null, `PRIMARY_${codeOf(error)}`);
      return;
    }
    await Promise.all(
      this.#replicas.map(async (replica) => {
        try {
          const sample = await measureReplicaLag(replica.client, primaryLsn);
          this.#record(replica, sample.lagSeconds, sample.standby ? undefined : 'NOT_A_STANDBY');
        } catch (error) {
          this.#record(replica, null, codeOf(error));
        }
      }),
    );
  }

  #record(replica: Replica, lagSeconds: number | null, errorCode: string | undefined): void {
    const before = this.#state(replica);
    replica.lagSeconds = lagSeconds;
    replica.errorCode = errorCode;
    replica.checkedAt = Date.now();
    const after = this.#state(replica);
    if (before !== after && !this.#closed) {
      const level = after === 'ready' ? 'info' : 'warn';
      this.#logger[level]?.({ replica: replica.name, state: after, lagSeconds, code: errorCode }, after === 'ready' ? 'replica serving reads' : 'replica skipped: reads go to the primary');
    }
  }

  #state(replica: Replica): ReplicaState {
    if (replica.checkedAt === null) return 'unknown';
    const breaker = this.#registry.breakers.peek(replica.name)?.state;
    if (replica.lagSeconds === null || breaker === 'open' || breaker === 'isolated') return 'down';
    return replica.lagSeconds * 1000 > this.maxLagMs ? 'lagging' : 'ready';
  }

  /** Round robin over the replicas that are ready (a half-open breaker's trials included). */
  #pick(): Replica | undefined {
    const count = this.#replicas.length;
    for (let i = 0; i < count; i++) {
      const replica = this.#replicas[(this.#next + i) % count];
      if (replica !== undefined && this.#state(replica) === 'ready') {
        this.#next = (this.#next + i + 1) % count;
        return replica;
      }
    }
    return undefined;
  }

  /** Each replica's state, lag and breaker, for health endpoints and metrics. */
  status(): ReplicaStatus[] {
    return this.#replicas.map((replica) => ({
      name: replica.name,
      url: replica.client.redactedUrl,
      state: this.#state(replica),
      lagSeconds: replica.lagSeconds === null || !Number.isFinite(replica.lagSeconds) ? null : replica.lagSeconds,
      breaker: this.#registry.breakers.peek(replica.name)?.state ?? 'closed',
      ...(replica.errorCode ? { errorCode: replica.errorCode } : {}),
      checkedAt: replica.checkedAt,
    }));
  }

  /** Stops the lag checks and closes the replicas' pools (not the primary's: its owner closes it). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#checking?.catch(() => undefined);
    await Promise.allSettled(this.#replicas.map((r) => r.client.disconnect()));
  }
}
