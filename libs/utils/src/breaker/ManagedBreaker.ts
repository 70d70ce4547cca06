import { CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import type { CircuitBreakerStateName, IMetricsCollector } from '@libs/monitoring';
import { log, type RetryLogger } from '../logger';

/**
 * Wraps an error the breaker must not count. Non-retryable errors (validation, not found, auth)
 * say nothing about the dependency's health, so they pass through cockatiel's breaker
 * unhandled: neither a failure nor (in the closed state) a success.
 */
export class BreakerPassthrough {
  constructor(readonly error: unknown) {}
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

/**
 * One cockatiel `CircuitBreakerPolicy` (ConsecutiveBreaker) plus what cockatiel keeps private:
 * when it opened (for `CircuitOpenError.retryAfterMs`) and who to tell about state changes.
 * Breakers are shared across calls, so metrics collectors and the logger are attached by the
 * calls that use them rather than fixed at creation.
 */
export class ManagedBreaker {
  readonly key: string;
  readonly policy: CircuitBreakerPolicy;
  readonly threshold: number;
  readonly resetMs: number;
  #openedAt = 0;
  // Usually one collector per process; a short array beats a Set for includes() at this size.
  #sinks: IMetricsCollector[] = [];
  #logger: RetryLogger | undefined;

  constructor(key: string, threshold: number, resetMs: number) {
    this.key = key;
    this.threshold = Math.max(1, Math.floor(threshold));
    this.resetMs = Math.max(0, resetMs);
    this.policy = circuitBreaker(handleWhen(isBreakerFailure), {
      halfOpenAfter: this.resetMs,
      breaker: new ConsecutiveBreaker(this.threshold),
    });
    this.policy.onStateChange((state) => this.#onStateChange(state));
  }

  get state(): CircuitBreakerStateName {
    return stateName(this.policy.state);
  }

  /** Milliseconds until an open breaker lets a probe through (0 when not open, Infinity when isolated). */
  retryAfterMs(now = Date.now()): number {
    const state = this.policy.state;
    if (state === CircuitState.Isolated) return Number.POSITIVE_INFINITY;
    if (state !== CircuitState.Open) return 0;
    return Math.max(0, this.#openedAt + this.resetMs - now);
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
    log(this.#logger, state === CircuitState.Closed ? 'info' : 'warn', { breaker: this.key, state: name }, `circuit breaker ${name}`);
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
