import { Client } from 'pg';
import type { InvalidationLagObserver } from '../cacheOptions';
import type { CacheLogger } from '../logger';
import { type ChangeMessage, decodeChangeMessage } from './changeMessage';
import { deliverRemote } from './deliverRemote';

export interface PgBusOptions {
  /** Postgres URL for the dedicated LISTEN connection (not from the query pool). */
  connectionString: string;
  /** NOTIFY channel; the repositories' `notifyChannel` must be the same. @default 'cache_invalidation' */
  channel?: string;
  /** A live connection is checked this often (a half-open socket would otherwise look healthy). @default 2_000 */
  pingIntervalMs?: number;
  /** Reconnect delays grow from this … @default 100 */
  reconnectMinMs?: number;
  /** … to this. @default 2_000 */
  reconnectMaxMs?: number;
}

export const DEFAULT_PG_BUS_CHANNEL = 'cache_invalidation';

export interface PgBusHandlers {
  onMessage(message: ChangeMessage): void;
  /** The listener came back after a drop (or first came up late): notifications may have been missed. */
  onReconnect(): void;
  /** Listening or not; the cache bounds security-relevant L1 entries while no bus is healthy. */
  onHealth(healthy: boolean): void;
  lag?: InvalidationLagObserver;
}

/** Postgres identifiers in LISTEN cannot be parameters: quote them. */
const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * The second invalidation bus: LISTEN on a dedicated `pg` connection. The repositories send
 * `pg_notify` inside the transaction of the write, so Postgres delivers it exactly when the
 * write commits — also while Redis is down. Reconnects by itself; after a drop it reports
 * `onReconnect` (the cache then drops its security-relevant L1 entries).
 */
export class PgInvalidationBus {
  readonly #options: Required<PgBusOptions>;
  readonly #instanceId: string;
  readonly #handlers: PgBusHandlers;
  readonly #logger: CacheLogger;
  /** The connection being opened or in use; events of any other are stale. */
  #client: Client | undefined;
  #healthy = false;
  /**
   * Postgres is out of reach from this instance: the connection dropped and no attempt since has
   * connected, or the last attempt could not connect at all.
   */
  #unreachable = false;
  /** Connected, but LISTEN failed: Postgres is up and we cannot hear it. */
  #deaf = false;
  #stopped = false;
  #attempt = 0;
  #retry: NodeJS.Timeout | undefined;
  #ping: NodeJS.Timeout | undefined;

  constructor(options: PgBusOptions, instanceId: string, handlers: PgBusHandlers, logger: CacheLogger) {
    this.#options = { channel: DEFAULT_PG_BUS_CHANNEL, pingIntervalMs: 2_000, reconnectMinMs: 100, reconnectMaxMs: 2_000, ...options };
    this.#instanceId = instanceId;
    this.#handlers = handlers;
    this.#logger = logger;
  }

  get channel(): string {
    return this.#options.channel;
  }

  /** True while LISTEN is active on a live connection. */
  get healthy(): boolean {
    return this.#healthy;
  }

  /**
   * Whether this instance can miss no change announced here: listening, or Postgres out of reach
   * altogether (its last connect failed). Every announced change is a Postgres write, and one
   * that commits just before the drop or while we reconnect is covered by the drop at reconnect
   * (`onReconnect`), so an outage of Postgres itself does not make cached entries untrusted:
   * they keep answering (read-only, as the repositories' outage rules want). A partition that
   * cuts only this instance off Postgres looks the same; with Redis configured its bus still
   * carries the other instances' changes.
   */
  get covering(): boolean {
    return this.#healthy || (this.#unreachable && !this.#deaf);
  }

  /** Connects and listens; resolves `false` (and keeps retrying) when Postgres is not reachable. */
  async start(): Promise<boolean> {
    return this.#connect(false);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    clearInterval(this.#ping);
    this.#setHealthy(false);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(missedSomething: boolean): Promise<boolean> {
    const client = new Client({ connectionString: this.#options.connectionString, keepAlive: true, connectionTimeoutMillis: 2_000, application_name: 'libs-database-cache-bus' });
    this.#client = client;
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client));
    client.on('notification', (n) => {
      if (n.channel === this.#options.channel && n.payload !== undefined) this.#onPayload(n.payload);
    });
    try {
      await client.connect();
    } catch (error) {
      this.#lost(client, error as Error);
      return false;
    }
    try {
      await client.query(`LISTEN ${quoteIdent(this.#options.channel)}`);
    } catch (error) {
      this.#deaf = true;
      this.#lost(client, error as Error);
      return false;
    }
    this.#deaf = false;
    this.#unreachable = false;
    if (this.#stopped || this.#client !== client) {
      await client.end().catch(() => undefined);
      return false;
    }
    this.#attempt = 0;
    this.#setHealthy(true);
    this.#ping = setInterval(() => this.#checkAlive(client), this.#options.pingIntervalMs);
    this.#ping.unref();
    if (missedSomething) {
      this.#logger.info?.({ channel: this.#options.channel }, 'cache pg bus: listening again, dropping security-relevant L1 entries');
      this.#handlers.onReconnect();
    }
    return true;
  }

  #checkAlive(client: Client): void {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('cache pg bus: ping timed out')), this.#options.pingIntervalMs);
    });
    Promise.race([client.query('SELECT 1'), timeout])
      .catch((error: Error) => this.#lost(client, error))
      .finally(() => clearTimeout(timer));
  }

  #lost(client: Client, error?: Error): void {
    if (error) this.#logger.debug?.({ err: { message: error.message, code: (error as { code?: string }).code } }, 'cache pg bus: connection error');
    if (this.#client !== client) return; // an older connection's late event
    this.#client = undefined;
    // Presumed out of reach until an attempt connects (set before the health change is reported).
    this.#unreachable = true;
    clearInterval(this.#ping);
    client.end().catch(() => undefined);
    this.#setHealthy(false);
    if (this.#stopped || this.#retry !== undefined) return;
    const delay = Math.min(this.#options.reconnectMaxMs, this.#options.reconnectMinMs * 2 ** this.#attempt++);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.#connect(true);
    }, delay);
    this.#retry.unref();
  }

  #setHealthy(healthy: boolean): void {
    if (this.#healthy === healthy) return;
    this.#healthy = healthy;
    this.#handlers.onHealth(healthy);
  }

  #onPayload(text: string): void {
    const message = decodeChangeMessage(text);
    if (message === undefined) {
      this.#logger.debug?.({ channel: this.#options.channel }, 'cache pg bus: ignored a malformed notification');
      return;
    }
    deliverRemote(message, this.#instanceId, this.#handlers);
  }
}
