import { LRUCache } from 'lru-cache';
import type { CircuitBreakerStateName } from '@libs/monitoring';
import { log, type RetryLogger } from '../logger';
import { ManagedBreaker } from './ManagedBreaker';

/** Options of the process-wide breaker registry. */
export interface BreakerRegistryOptions {
  /**
   * Most breakers kept; the least recently used is dropped past it (a dropped breaker starts
   * closed next time). Keys come from code (`operationName`), so the cap is a guard against a
   * key built from user input, not a working limit.
   * @default 1_000
   */
  maxBreakers?: number;
}

export const DEFAULT_BREAKER_REGISTRY_OPTIONS: Required<BreakerRegistryOptions> = { maxBreakers: 1_000 };

let breakers = createCache(DEFAULT_BREAKER_REGISTRY_OPTIONS.maxBreakers);
// Keys whose later callers asked for a different threshold/reset; warned about once each.
const warnedMismatch = new Set<string>();

function createCache(max: number): LRUCache<string, ManagedBreaker> {
  return new LRUCache<string, ManagedBreaker>({ max: Math.max(1, Math.floor(max)) });
}

/**
 * The breaker shared by every call with this key. The first call creates it and fixes its
 * threshold and reset time; a later call asking for other values gets the existing breaker
 * (two breakers for one dependency would each see half the failures) and a warning.
 */
export function getCircuitBreaker(key: string, threshold: number, resetMs: number, logger?: RetryLogger): ManagedBreaker {
  let breaker = breakers.get(key);
  if (breaker === undefined) {
    breaker = new ManagedBreaker(key, threshold, resetMs);
    breakers.set(key, breaker);
  } else if ((breaker.threshold !== threshold || breaker.resetMs !== resetMs) && !warnedMismatch.has(key)) {
    if (warnedMismatch.size < 1_000) warnedMismatch.add(key);
    log(
      logger,
      'warn',
      { breaker: key, threshold: breaker.threshold, resetMs: breaker.resetMs, requestedThreshold: threshold, requestedResetMs: resetMs },
      'circuit breaker already exists with other settings; keeping the first',
    );
  }
  return breaker;
}

/** The breaker for `key` if one exists (does not create or refresh it). */
export function peekCircuitBreaker(key: string): ManagedBreaker | undefined {
  return breakers.peek(key);
}

/** Every registered breaker and its state, for metrics and health endpoints. */
export function listCircuitBreakers(): Array<{ key: string; state: CircuitBreakerStateName }> {
  const list: Array<{ key: string; state: CircuitBreakerStateName }> = [];
  for (const [key, breaker] of breakers.entries()) list.push({ key, state: breaker.state });
  return list;
}

/** Resizes the registry (drops every breaker). Call at start-up, before traffic. */
export function configureCircuitBreakerRegistry(options: BreakerRegistryOptions = {}): void {
  breakers = createCache(options.maxBreakers ?? DEFAULT_BREAKER_REGISTRY_OPTIONS.maxBreakers);
  warnedMismatch.clear();
}

/** Drops every breaker (all start closed again). Meant for tests. */
export function resetCircuitBreakers(): void {
  breakers.clear();
  warnedMismatch.clear();
}
