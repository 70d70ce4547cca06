import { CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import type { CircuitBreakerStateName, IMetricsCollector } from '@libs/monitoring';
import { log, type RetryLogger } from '../logger';
import { resolveBreakerOptions, type BreakerOptions } from './BreakerOptions';
import { ResetBackoff } from './ResetBackoff';

/**
 * Wraps an error the breaker must not count. Non-retryable errors (validation, not found, auth)
 * say nothing about the dependency's health, so they pass through cockatiel's breaker
 * unhandled: neither a failure nor (in the closed state) a success.
 */
export class BreakerPassthrough {
  /** `retryable`: the caller may still retry it (a failure the breaker must not count, e.g. load). */
  constructor(
    readonly error: unknown,
    readonly retryable = false,
  ) {}
}

const isBreakerFailure = (error: unknown): boolean => !(error instanceof BreakerPassthrough);

export function stateName(state: CircuitState): CircuitBreakerStateName {
  switch (state) {
    case CircuitState.Open:
      return 'open';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Isolated:
      return 'isolated';
    default:
      return 'closed';
  }
}

/** Notified of every state change of a breaker (the registry's recovery probes listen here). */
export type BreakerStateListener = (breaker: ManagedBreaker, state: CircuitBreakerStateName) => void;

/**
 * One cockatiel `CircuitBreakerPolicy` (ConsecutiveBreaker, several half-open trials, a reset
 * wait that doubles while trials keep failing) plus what cockatiel keeps private: when it
 * opened and for how long (for `CircuitOpenError.retryAfterMs`), a way to end the wait early
 * (`probe()`), and who to tell about state changes. Breakers are shared across calls, so
 * metrics collectors and the logger are attached by the calls that use them rather than fixed
 * at creation.
 */
export class ManagedBreaker {
  readonly key: string;
  readonly policy: CircuitBreakerPolicy;
  readonly options: Readonly<Required<BreakerOptions>>;
  #openedAt = 0;
  #backoff: ResetBackoff | undefined;
  // Usually one collector per process; a short array beats a Set for includes() at this size.
  #sinks: IMetricsCollector[] = [];
  #logger: RetryLogger | undefined;
  #listener: BreakerStateListener | undefined;

  constructor(key: string, options: BreakerOptions = {}, listener?: BreakerStateListener) {
    this.key = key;
    this.options = resolveBreakerOptions(options);
    this.#listener = listener;
    this.policy = circuitBreaker(handleWhen(isBreakerFailure), {
      halfOpenAfter: ResetBackoff.factory(this.options.resetMs, this.options.maxResetMs, (backoff) => {
        this.#backoff = backoff;
      }),
      halfOpenSampling: { calls: this.options.halfOpenCalls, threshold: 0 },
      breaker: new ConsecutiveBreaker(this.options.threshold),
    });
    this.policy.onStateChange((state) => this.#onStateChange(state));
  }

  get threshold(): number {
    return this.options.threshold;
  }

  get resetMs(): number {
    return this.options.resetMs;
  }

  /**
   * The state as callers meet it. An open breaker whose wait is over (or that was probed) reports
   * `half-open`: cockatiel switches only on the next call, and that call is a trial.
   */
  get state(): CircuitBreakerStateName {
    const state = this.policy.state;
    if (state === CircuitState.Open && this.retryAfterMs() === 0) return 'half-open';
    return stateName(state);
  }

  /** Milliseconds until an open breaker lets trials through (0 when not open, Infinity when isolated). */
  retryAfterMs(now = Date.now()): number {
    const state = this.policy.state;
    if (state === CircuitState.Isolated) return Number.POSITIVE_INFINITY;
    if (state !== CircuitState.Open || this.#backoff === undefined || this.#backoff.released) return 0;
    return Math.max(0, this.#openedAt + this.#backoff.plannedMs - now);
  }

  /** Consecutive openings without a close (1 after the first opening; 0 while never opened). */
  get openRound(): number {
    return this.policy.state === CircuitState.Closed ? 0 : (this.#backoff?.round ?? 0);
  }

  /**
   * A healthy signal (a health check answered, a client reconnected): an open breaker lets its
   * next calls through as half-open trials now instead of waiting out its reset. The trials still
   * decide — a failure reopens it. True when the breaker was open and is now released.
   */
  probe(): boolean {
    if (this.policy.state !== CircuitState.Open || this.#backoff === undefined || this.#backoff.released) return false;
    this.#backoff.release();
    log(this.#logger, 'info', { breaker: this.key }, 'circuit breaker probed: next calls are trials');
    return true;
  }

  /** Registers a metrics collector for state changes and reports the current state to it once. */
  attach(metrics: IMetricsCollector | undefined, logger: RetryLogger | undefined): void {
    if (logger !== undefined) this.#logger = logger;
    if (metrics === undefined || this.#sinks.includes(metrics)) return;
    // Bounded: a collector per request would be a caller bug; keep the newest few.
    if (this.#sinks.length >= 8) this.#sinks.shift();
    this.#sinks.push(metrics);
    safe(() => metrics.recordCircuitBreakerState(this.key, this.state));
  }

  #onStateChange(state: CircuitState): void {
    if (state === CircuitState.Open) this.#openedAt = Date.now();
    const name = stateName(state);
    for (const sink of this.#sinks) safe(() => sink.recordCircuitBreakerState(this.key, name));
    log(this.#logger, state === CircuitState.Closed ? 'info' : 'warn', { breaker: this.key, state: name, round: this.openRound || undefined }, `circuit breaker ${name}`);
    const listener = this.#listener;
    if (listener !== undefined) safe(() => listener(this, name));
  }
}

// Metrics and logging must never turn a success into a failure.
function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    /* ignored on purpose */
  }
}
