import { randomUUID } from 'node:crypto';
import { type IMetricsCollector, withSpan } from '@libs/monitoring';
import { LRUCache } from 'lru-cache';
import type { Invalidation } from './bus/busMessage';
import type { ChangeMessage } from './bus/changeMessage';
import type { InvalidationEvent } from './invalidationEvent';
import { type CacheEntry, createEntry, type Decoder, isWithinGrace } from './cacheEntry';
import type { ResourcePolicy } from './cacheOptions';
import { isCacheError } from './errors/CacheError';
import type { MemoryDriver } from './drivers/MemoryDriver';
import { LoadRegistry } from './facades/LoadRegistry';
import type { RemoteLayer } from './facades/RemoteLayer';
import type { CacheSetOptions, GetOrSetOptions } from './ICache';
import type { CacheLogger } from './logger';
import { ResourcePolicies, type ResolvedPolicy } from './ResourcePolicies';
import { deserializeValue, serializeValue } from './serializer';
import { ValueCodec } from './facades/ValueCodec';
import { LocalCounters } from './facades/LocalCounters';
import { CacheError, CacheErrorCodes } from './errors/CacheError';

export interface CacheCoreOptions {
  memory: MemoryDriver | undefined;
  remote: RemoteLayer | undefined;
  resources: Partial<Record<string, ResourcePolicy>>;
  staleIfErrorMs: number;
  negativeTtlMs: number;
  metrics: IMetricsCollector | undefined;
  logger: CacheLogger;
  /** Tags every security-relevant entry carries (full logical tags): dropped when a bus may have missed something. */
  securityTags?: readonly string[];
  /** Stamped on announced changes, so the sending instance ignores its own. @default a random UUID */
  instanceId?: string;
}

const NOT_READ = Object.freeze({ entry: undefined, stamp: undefined });
const MAY_HAVE_MISSED: InvalidationEvent = Object.freeze({ kind: 'may-have-missed' });
/** Message ids remembered to apply a change once when it arrives on both buses. */
const SEEN_MESSAGES = 10_000;


/**
 * The engine behind every namespace view: reads L1 → L2 → loader, writes L1 then L2 (which
 * publishes), and applies invalidations from this instance and from the bus. Keys and tags
 * here are full logical keys; `CacheNamespace` adds the prefixes.
 */
export class CacheCore {
  readonly #l1: MemoryDriver | undefined;
  readonly #l2: RemoteLayer | undefined;
  readonly #loads = new LoadRegistry();
  /** Refreshes still running after a soft timeout answered their callers with a stale value. */
  readonly #background = new Map<string, Promise<unknown>>();
  /**
   * Bumped by every invalidation and local write. A read that awaited L2 copies the result into L1 only if
   * no invalidation arrived meanwhile: the bus message and the GET reply travel on two
   * connections, so the message can overtake a reply that predates the write.
   */
  #epoch = 0;
  readonly #listeners = new Set<(event: InvalidationEvent) => void>();
  readonly #seen = new LRUCache<string, true>({ max: SEEN_MESSAGES });
  readonly #securityTags: readonly string[];
  readonly instanceId: string;
  readonly #policies: ResourcePolicies;
  readonly #metrics: IMetricsCollector | undefined;
  readonly #logger: CacheLogger;
  readonly #values: ValueCodec;
  readonly #counters = new LocalCounters();

  constructor(options: CacheCoreOptions) {
    this.#l1 = options.memory;
    this.#l2 = options.remote;
    this.#policies = new ResourcePolicies(options.resources, options.staleIfErrorMs, options.negativeTtlMs);
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#values = new ValueCodec(options.memory, (name) => this.#event(name), options.logger);
    this.#securityTags = options.securityTags ?? [];
    this.instanceId = options.instanceId ?? randomUUID();
  }

  get hasMemory(): boolean {
    return this.#l1 !== undefined;
  }

  // Hot paths (`get`, `getOrSet`) are plain functions, not `async`: an L1 hit then costs one
  // resolved promise instead of a chain of async frames (this is most of the L1 throughput).
  get<T>(key: string): Promise<T | undefined> {
    try {
      const local = this.#freshLocal<T>(key);
      if (local !== undefined) return Promise.resolve(local.value);
      return this.#remoteLookup<T>(key).then((entry) => entry?.value);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async has(key: string): Promise<boolean> {
    return (this.#freshLocal(key) ?? (await this.#remoteLookup(key))) !== undefined;
  }

  async mget<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    const now = Date.now();
    const out: Array<T | undefined> = new Array(keys.length);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const local = this.#l1?.get<T>(key, now);
      if (local !== undefined && now < local.expiresAt) {
        this.#event('cache.hit.l1');
        out[i] = local.value;
      } else missing.push(i);
    });
    if (missing.length && this.#l2) {
      const epoch = this.#epoch;
      const remote = await this.#l2.mget<T>(missing.map((i) => keys[i]));
      const mayKeep = epoch === this.#epoch;
      missing.forEach((index, j) => {
        const entry = remote[j];
        if (entry !== undefined && Date.now() < entry.expiresAt) {
          this.#event('cache.hit.l2');
          out[index] = mayKeep && this.#l1 ? this.#l1.set(keys[index], entry) : this.#values.protect(entry.value);
        } else this.#event('cache.miss');
      });
    } else if (missing.length) this.#event('cache.miss', missing.length);
    return out;
  }

  async set<T>(key: string, value: T, options: CacheSetOptions | undefined, tags: readonly string[]): Promise<void> {
    const { ttlMs, graceMs } = this.#policies.resolve(options);
    await this.#write(key, value, ttlMs, graceMs, tags);
  }

  getOrSet<T>(key: string, loader: () => Promise<T>, options: GetOrSetOptions | undefined, tags: readonly string[]): Promise<T> {
    try {
      const now = Date.now();
      let local = this.#l1?.get<T>(key, now);
      const decode = options?.decode as Decoder<T> | undefined;
      // Written by a plain `set`/`get`, or by another decoder: decode once and keep the result.
      if (local !== undefined && decode !== undefined && local.decodedBy !== decode) local = this.#values.local(key, local, decode);
      if (local !== undefined && now < local.expiresAt) {
        this.#event('cache.hit.l1');
        return Promise.resolve(local.value);
      }
      if (local !== undefined && this.#background.has(key) && isWithinGrace(local, now)) {
        // A soft-timed-out loader is still refreshing this key: keep answering with the stale value.
        this.#event('cache.stale_served');
        return Promise.resolve(local.value);
      }
      const running = this.#loads.get(key);
      if (running !== undefined) {
        this.#event('cache.stampede.joined');
        return running.promise as Promise<T>;
      }
      return this.#loads.start(key, tags, (load) => withSpan('cache.load', () => this.#load(key, loader, options, tags, local, load)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Reads and drops `key` in one step. L1's part runs before the first await (nothing else in
   * this process can interleave); with L2, Redis decides, atomically for every instance.
   */
  async take<T>(key: string): Promise<T | undefined> {
    const now = Date.now();
    const local = this.#l1?.get<T>(key, now);
    this.#dropLocal({ type: 'keys', keys: [key] });
    if (this.#l2) {
      const remote = await this.#l2.take<T>(key);
      if (remote !== 'failed') return remote !== null && Date.now() < remote.expiresAt ? this.#values.protect(remote.value) : undefined;
      // Redis unreachable: what this instance held is all there is to take.
    }
    return local !== undefined && now < local.expiresAt ? local.value : undefined;
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    if (!(ttlMs > 0)) throw new CacheError(CacheErrorCodes.INVALID_OPTIONS, 'a counter needs a positive ttlMs');
    const shared = await this.#l2?.increment(key, ttlMs);
    return shared ?? this.#counters.increment(key, ttlMs);
  }

  async invalidate(what: Invalidation): Promise<void> {
    this.#dropLocal(what);
    const l2 = this.#l2;
    if (l2) await withSpan('cache.invalidate', () => l2.invalidate(what), { 'cache.invalidation': what.type });
  }

  /**
   * Applies an invalidation received from another instance over Redis (L1 and in-flight loads
   * only). Always applied, also when the Postgres copy came first: that one can overtake the
   * sender's L2 cleanup, so a reload in between may have put the old L2 value back into L1.
   */
  applyRemote(what: Invalidation): void {
    if (what.type === 'tags' && what.messageId !== undefined) this.#seen.set(what.messageId, true);
    this.#event('cache.bus.received');
    this.#dropLocal(what);
  }

  /** Applies a change from the Postgres bus: its keys, then its tags with the events; skipped when its Redis copy came first. */
  applyChange(message: ChangeMessage): void {
    if (this.#isDuplicate(message.messageId)) return;
    this.#event('cache.pgbus.received');
    if (message.events.some((e) => e.kind === 'may-have-missed')) {
      this.forgetSecurity(true);
      return;
    }
    if (message.keys.length > 0) this.#dropLocal({ type: 'keys', keys: message.keys });
    this.#dropLocal({ type: 'tags', tags: message.tags, events: message.events, messageId: message.messageId });
  }

  /** After a bus reconnect: invalidations may have been missed, so L1 is forgotten. */
  forgetLocal(): void {
    this.#event('cache.bus.reconnect_clear');
    this.#dropLocal({ type: 'clear' });
  }

  /**
   * Drops the security-relevant L1 entries (those carrying a `securityTags` tag). `announce`:
   * tell listeners `may-have-missed` (a bus reconnected); the L1 bound's sweeps do not.
   */
  forgetSecurity(announce: boolean): void {
    if (this.#securityTags.length === 0) return;
    this.#epoch++;
    const what: Invalidation = { type: 'tags', tags: [...this.#securityTags] };
    this.#loads.supersede(what);
    this.#l1?.apply(what);
    if (announce) this.#emit(MAY_HAVE_MISSED);
  }

  /**
   * Calls `listener` with every typed event this instance applies — its own writes' and those
   * from either bus — after L1 dropped their entries; `may-have-missed` after a bus reconnect or
   * a clear. Returns the unsubscribe.
   */
  onInvalidation(listener: (event: InvalidationEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #isDuplicate(messageId: string): boolean {
    if (this.#seen.has(messageId)) {
      this.#event('cache.bus.duplicate');
      return true;
    }
    this.#seen.set(messageId, true);
    return false;
  }

  #dropLocal(what: Invalidation): void {
    this.#epoch++;
    this.#loads.supersede(what);
    this.#l1?.apply(what);
    if (what.type === 'clear') this.#emit(MAY_HAVE_MISSED);
    else if (what.type === 'tags' && what.events) for (const event of what.events) this.#emit(event);
  }

  #emit(event: InvalidationEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        /* a listener must not break invalidation */
      }
    }
  }

  #freshLocal<T>(key: string): CacheEntry<T> | undefined {
    const now = Date.now();
    const local = this.#l1?.get<T>(key, now);
    if (local === undefined || now >= local.expiresAt) return undefined;
    this.#event('cache.hit.l1');
    return local;
  }

  async #remoteLookup<T>(key: string): Promise<CacheEntry<T> | undefined> {
    const epoch = this.#epoch;
    const l2 = this.#l2;
    const remote = l2 ? await withSpan('cache.l2.get', () => l2.get<T>(key)) : undefined;
    if (remote !== undefined && Date.now() < remote.expiresAt) {
      this.#event('cache.hit.l2');
      // An invalidation that arrived while we waited may concern what Redis just returned.
      if (epoch === this.#epoch && this.#l1) return { ...remote, value: this.#l1.set(key, remote) };
      return { ...remote, value: this.#values.protect(remote.value) };
    }
    this.#event('cache.miss');
    return undefined;
  }

  async #load<T>(
    key: string,
    loader: () => Promise<T>,
    options: GetOrSetOptions | undefined,
    tags: readonly string[],
    local: CacheEntry<T> | undefined,
    load: { superseded: boolean },
  ): Promise<T> {
    let stale = local;
    const decode = options?.decode as Decoder<T> | undefined;
    const read = this.#l2 ? await this.#l2.getForLoad<T>(key, tags) : NOT_READ;
    const { stamp } = read;
    const remote = read.entry && this.#values.remote(read.entry, decode);
    if (remote !== undefined) {
      if (Date.now() < remote.expiresAt) {
        this.#event('cache.hit.l2');
        if (!load.superseded && this.#l1) return this.#l1.set(key, remote, undefined, decode);
        return remote.value;
      }
      if (stale === undefined || remote.expiresAt > stale.expiresAt) stale = remote;
    }
    const usable = stale !== undefined && isWithinGrace(stale) ? stale : undefined;
    if (usable !== undefined && this.#background.has(key)) {
      this.#event('cache.stale_served');
      return usable.value;
    }
    this.#event('cache.miss');
    const policy = this.#policies.resolve(options);
    const refresh = this.#refresh(key, loader, policy, tags, load, stamp, decode);
    if (usable !== undefined && options?.timeoutMs !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        refresh.then(
          () => false,
          () => false,
        ),
        new Promise<true>((resolve) => (timer = setTimeout(() => resolve(true), options.timeoutMs))),
      ]);
      clearTimeout(timer);
      if (timedOut && !load.superseded) {
        // Soft timeout: answer with the stale value, let the loader finish and refresh the cache.
        this.#background.set(key, refresh);
        refresh
          .catch(() => this.#event('cache.loader.error'))
          .finally(() => {
            if (this.#background.get(key) === refresh) this.#background.delete(key);
          });
        this.#event('cache.stale_served');
        this.#event('cache.loader.soft_timeout');
        return usable.value;
      }
    }
    try {
      return await refresh;
    } catch (error) {
      if (usable !== undefined && !load.superseded) {
        this.#event('cache.stale_served');
        this.#logger.debug?.({ reason: 'loader_failed' }, 'cache: serving a stale value');
        return usable.value;
      }
      this.#event('cache.loader.error');
      throw error;
    }
  }

  /** Runs the loader and stores its result, unless an invalidation overtook it. */
  async #refresh<T>(
    key: string,
    loader: () => Promise<T>,
    policy: ResolvedPolicy,
    tags: readonly string[],
    load: { superseded: boolean },
    stamp: string[] | undefined,
    decode: Decoder<T> | undefined,
  ): Promise<T> {
    const loaded = await loader();
    const negative = loaded === null || loaded === undefined;
    let text: string;
    let value: T;
    try {
      text = serializeValue(loaded);
      // Every caller, this one included, gets what L2 holds (a private copy the L1 can freeze), decoded once.
      value = negative ? loaded : this.#values.fromText(text, decode);
    } catch (error) {
      // The loader's answer is good even if it cannot be cached (e.g. a cycle): return it.
      if (!isCacheError(error)) throw error;
      this.#event('cache.serialization_error');
      this.#logger.warn?.({ code: error.code }, 'cache: loader result not cached');
      return decode && !negative ? decode(loaded) : loaded;
    }
    if (load.superseded) {
      // Invalidated while loading: the result may predate the write, so it is not cached.
      this.#event('cache.load.superseded');
      return value;
    }
    if (negative && !(policy.negativeTtlMs > 0)) return value;
    await this.#writeLoaded(key, value, text, negative ? policy.negativeTtlMs : policy.ttlMs, negative ? 0 : policy.graceMs, tags, stamp, load, decode);
    return value;
  }

  /**
   * Stores a loader's result: L1 now, L2 only if nothing was invalidated since the load read
   * its stamp (another instance may have changed the row after our loader read it). Without
   * a stamp (L2 was unreadable) the value stays local.
   */
  async #writeLoaded(
    key: string,
    value: unknown,
    text: string,
    ttlMs: number,
    graceMs: number,
    tags: readonly string[],
    stamp: string[] | undefined,
    load: { superseded: boolean },
    decode: Decoder | undefined,
  ): Promise<void> {
    const entry = createEntry(value, ttlMs, graceMs, tags);
    this.#l1?.set(key, entry, text, decode);
    if (this.#l2 === undefined || stamp === undefined) return;
    const outcome = await this.#l2.setIfUnchanged(key, entry, text, stamp);
    if (outcome === 'refused' || load.superseded) {
      this.#l1?.delete([key]);
      this.#event('cache.load.superseded');
    }
  }

  async #write(key: string, value: unknown, ttlMs: number, graceMs: number, tags: readonly string[]): Promise<void> {
    if (!(ttlMs > 0)) {
      // A non-positive TTL means "do not keep": make sure no older value survives either.
      await this.invalidate({ type: 'keys', keys: [key] });
      return;
    }
    const text = serializeValue(value);
    // The frozen L1 keeps a copy: freezing the caller's own object would break the caller.
    const entry = createEntry(this.#l1?.mode === 'frozen' ? deserializeValue(text) : value, ttlMs, graceMs, tags);
    // A concurrent read must not copy an older L2 reply over this value (see #epoch).
    this.#epoch++;
    this.#loads.supersede({ type: 'keys', keys: [key] });
    this.#l1?.set(key, entry, text);
    const l2 = this.#l2;
    if (l2) await withSpan('cache.l2.set', () => l2.set(key, entry, text));
  }

  #event(name: string, by?: number): void {
    this.#metrics?.incrementEvent(name, by);
  }
}
