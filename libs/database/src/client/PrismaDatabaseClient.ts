import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type PoolClient } from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { connectionFailureCode } from '../postgress/repositories/retryClassification';
import type { DatabaseClient, DatabaseHealth, PoolStats } from '../types/DatabaseClient';
import { silentLogger, type DatabaseLogger } from '../types/Logger';
import { DEFAULT_DATABASE_CLIENT_OPTIONS, QUERY_TIMEOUT_MARGIN_MS, redactUrl, startupOptions, type DatabaseClientOptions } from './options';

export interface PrismaDatabaseClientOptions extends Omit<DatabaseClientOptions, 'url' | 'embedded' | 'migrate'> {
  url: string;
  /** Called after the pool is closed (the embedded factory stops its server here). */
  onDisconnect?: () => Promise<void>;
  /** Marks the client as running on its own embedded Postgres. @default false */
  embedded?: boolean;
}

/** pg's own code, else the name of a code-less connection failure (`PG_CONNECTION_TERMINATED` …), else UNKNOWN. */
function errorCode(error: unknown): string {
  const e = error as { code?: unknown } | undefined;
  return typeof e?.code === 'string' ? e.code : (connectionFailureCode(error) ?? 'UNKNOWN');
}

/**
 * Prisma 7 over our own pg `Pool`, so that pool size and connection, statement, lock and query
 * timeouts are ours to set, and so that 'error' listeners sit on the pool and on every client: without
 * them an idle connection cut by a Postgres restart emits an unhandled 'error' and kills the process.
 */
export class PrismaDatabaseClient implements DatabaseClient {
  readonly prisma: PrismaClient;
  readonly redactedUrl: string;
  readonly embedded: boolean;
  readonly #pool: Pool;
  readonly #logger: DatabaseLogger;
  readonly #onDisconnect?: () => Promise<void>;
  readonly #healthCheckSql: string;
  #disconnected?: Promise<void>;

  constructor(options: PrismaDatabaseClientOptions) {
    const opts = { ...DEFAULT_DATABASE_CLIENT_OPTIONS, ...options };
    this.#logger = options.logger ?? silentLogger;
    this.redactedUrl = redactUrl(opts.url);
    this.embedded = options.embedded ?? false;
    this.#onDisconnect = options.onDisconnect;
    this.#healthCheckSql = opts.healthCheckSql;
    const queryTimeout = opts.queryTimeoutMs ?? (opts.statementTimeoutMs > 0 ? opts.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS : 0);
    this.#pool = new Pool({
      connectionString: opts.url,
      max: opts.poolMax,
      connectionTimeoutMillis: opts.connectionTimeoutMs,
      idleTimeoutMillis: opts.idleTimeoutMs,
      application_name: opts.applicationName,
      // Sent in the startup packet: no extra round trip per connection.
      options: startupOptions(opts),
      query_timeout: queryTimeout > 0 ? queryTimeout : undefined,
    });
    this.#pool.on('error', (error) => this.#logger.warn?.({ code: errorCode(error) }, 'idle database connection failed'));
    this.#pool.on('connect', (client: PoolClient) => {
      client.on('error', (error) => this.#logger.warn?.({ code: errorCode(error) }, 'database connection failed'));
    });
    const adapter = new PrismaPg(this.#pool, { disposeExternalPool: false });
    this.prisma = new PrismaClient({ adapter });
  }

  async connect(): Promise<void> {
    await this.prisma.$connect();
    const client = await this.#pool.connect();
    client.release();
    this.#logger.info?.({ url: this.redactedUrl }, 'database connected');
  }

  disconnect(): Promise<void> {
    this.#disconnected ??= (async () => {
      try {
        await this.prisma.$disconnect();
      } finally {
        await this.#pool.end().catch(() => undefined);
        if (this.#onDisconnect) await this.#onDisconnect();
        this.#logger.info?.({ url: this.redactedUrl }, 'database disconnected');
      }
    })();
    return this.#disconnected;
  }

  async healthCheck(timeoutMs = 2_000): Promise<DatabaseHealth> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('health check timed out'), { code: 'TIMEOUT' })), timeoutMs);
      });
      await Promise.race([this.#pool.query(this.#healthCheckSql), timeout]);
      return { healthy: true, latencyMs: performance.now() - started, pool: this.poolStats(), embedded: this.embedded };
    } catch (error) {
      return { healthy: false, latencyMs: performance.now() - started, pool: this.poolStats(), errorCode: errorCode(error), embedded: this.embedded };
    } finally {
      clearTimeout(timer);
    }
  }

  poolStats(): PoolStats {
    return { total: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount };
  }
}
