import { CircuitState } from 'cockatiel';
import type { CircuitBreakerStateName } from '@libs/monitoring';
import { log, type RetryLogger } from '../logger';
import { PinningLru } from '../registry/PinningLru';
import { sameBreakerOptions, type BreakerOptions } from './BreakerOptions';
import { ManagedBreaker, type BreakerStateListener } from './ManagedBreaker';
import { RecoveryProbe, type RecoveryProbeOptions } from './RecoveryProbe';

/** Options of a breaker registry. */
export interface BreakerRegistryOptions {
  /**
   * Most closed breakers kept; past it the least recently used closed one is dropped (it starts
   * closed next time, which is what it was). Open and half-open breakers are never dropped:
   * forgetting one would silently close it. Keys come from code (`operationName`), so the cap is
   * a guard against a key built from user input, not a working limit.
   * @default 1_000
   */
  maxBreakers?: number;
}

export const defaultBreakerRegistryOptions: Readonly<Required<BreakerRegistryOptions>> = Object.freeze({ maxBreakers: 1_000 });

/** A running `watchRecovery`. */
export interface RecoveryWatch {
  /** Watches one more key with the same check. */
  add(key: string): void;
  stop(): void;
}

/** A breaker's key and state, for metrics and health endpoints. */
export interface BreakerStatus {
  key: string;
  state: CircuitBreakerStateName;
}

const isOpenOrHalfOpen = (breaker: ManagedBreaker): boolean => breaker.policy.state !== CircuitState.Closed;
const isWaiting = (breaker: ManagedBreaker | undefined): boolean => breaker?.state === 'open';

/**
 * The circuit breakers of one app context, shared by key: every call with the same key meets the
 * same breaker (a breaker per call would never open). Two contexts in one process each own one
 * (`new ResilienceRegistry()`); calls that name none use the process's default.
 */
export class BreakerRegistry {
  #breakers: PinningLru<string, ManagedBreaker>;
  // Keys whose later callers asked for other settings; warned about once each.
  readonly #warnedMismatch = new Set<string>();
  readonly #probes = new Map<string, RecoveryProbe[]>();
  readonly #onStateChange: BreakerStateListener = (breaker, state) => {
    // A breaker kept past the cap while open becomes an ordinary LRU entry again once closed.
    if (state === 'closed') this.#breakers.get(breaker.key);
    const probes = this.#probes.get(breaker.key);
    if (probes !== undefined) for (const probe of probes) probe.stateChanged(state);
  };

  constructor(options: BreakerRegistryOptions = {}) {
    this.#breakers = BreakerRegistry.#createCache(options);
  }

  static #createCache(options: BreakerRegistryOptions): PinningLru<string, ManagedBreaker> {
    return new PinningLru<string, ManagedBreaker>({ max: options.maxBreakers ?? defaultBreakerRegistryOptions.maxBreakers, isPinned: isOpenOrHalfOpen });
  }

  /**
   * The breaker shared by every call with this key. The first call creates it and fixes its
   * settings; a later call asking for others gets the existing breaker (two breakers for one
   * dependency would each see half the failures) and a warning.
   */
  get(key: string, options: BreakerOptions = {}, logger?: RetryLogger): ManagedBreaker {
    let breaker = this.#breakers.get(key);
    if (breaker === undefined) {
      breaker = new ManagedBreaker(key, options, this.#onStateChange);
      this.#breakers.set(key, breaker);
    } else if (!this.#warnedMismatch.has(key) && !sameBreakerOptions(breaker.options, options)) {
      if (this.#warnedMismatch.size < 1_000) this.#warnedMismatch.add(key);
      log(logger, 'warn', { breaker: key, settings: breaker.options, requested: options }, 'circuit breaker already exists with other settings; keeping the first');
    }
    return breaker;
  }

  /** The breaker for `key` if one exists (does not create or refresh it). */
  peek(key: string): ManagedBreaker | undefined {
    return this.#breakers.peek(key);
  }

  /** Every breaker and its state. */
  list(): BreakerStatus[] {
    const list: BreakerStatus[] = [];
    for (const [key, breaker] of this.#breakers.entries()) list.push({ key, state: breaker.state });
    return list;
  }

  get size(): number {
    return this.#breakers.size;
  }

  /**
   * A healthy signal for these keys (a reconnect, a health check that answered): each open one
   * lets its next calls through as trials now (`ManagedBreaker.probe`). Returns how many were released.
   */
  probe(keys: Iterable<string>): number {
    let released = 0;
    for (const key of keys) if (this.#breakers.peek(key)?.probe() === true) released++;
    return released;
  }

  /**
   * While a breaker of one of `keys` is open, asks `options.check` every `intervalMs` whether the
   * dependency answers again and, once it does, probes the open ones: recovery then takes one
   * check interval instead of a reset wait. Several keys guarding one dependency (a breaker per
   * repository, one Postgres) share one watch; `add` puts more keys under it.
   */
  watchRecovery(keys: Iterable<string>, options: RecoveryProbeOptions): RecoveryWatch {
    const watched: string[] = [];
    const probe = new RecoveryProbe(options, () => this.probe(watched), () => watched.some((key) => isWaiting(this.peek(key))));
    const add = (key: string): void => {
      if (watched.includes(key)) return;
      watched.push(key);
      const list = this.#probes.get(key) ?? [];
      list.push(probe);
      this.#probes.set(key, list);
      // A breaker already open when watching starts.
      if (isWaiting(this.peek(key))) probe.stateChanged('open');
    };
    for (const key of keys) add(key);
    return {
      add,
      stop: () => {
        probe.dispose();
        for (const key of watched) {
          const list = this.#probes.get(key)?.filter((p) => p !== probe);
          if (list === undefined || list.length === 0) this.#probes.delete(key);
          else this.#probes.set(key, list);
        }
      },
    };
  }

  /** Stops every recovery watch (at shutdown: their checks would only fail from here on). */
  stopRecoveryWatches(): void {
    for (const probes of this.#probes.values()) for (const probe of probes) probe.dispose();
    this.#probes.clear();
  }

  /** Resizes the registry (drops every breaker). Call at start-up, before traffic. */
  configure(options: BreakerRegistryOptions = {}): void {
    this.#breakers = BreakerRegistry.#createCache(options);
    this.#warnedMismatch.clear();
  }

  /** Drops every breaker (all start closed again). Meant for tests. */
  reset(): void {
    this.#breakers.clear();
    this.#warnedMismatch.clear();
  }
}
