import { configureWebSocketConnections, resetCircuitBreakers, resetRetryBudgets, resetWebSocketConnections } from '../registry/defaultRegistry';
import { errorWith } from './errorWith';

/** A retryable network error. */
export const transient = () => errorWith({ code: 'ECONNRESET' }, 'socket reset');

/** Options that make delays exact and leave the budget out of the way. */
export const noJitter = { jitter: 'none' as const, retryBudget: false as const };

/** Fake timers and fresh breaker/budget registries around every test of the calling file. */
export function useFakeRetryTime(): void {
  beforeEach(() => {
    jest.useFakeTimers();
    resetCircuitBreakers();
    resetRetryBudgets();
  });
  afterEach(() => jest.useRealTimers());
}

/** Settles `promise` while advancing fake time; returns the outcome. */
export async function settle<T>(promise: Promise<T>, ms = 60_000): Promise<{ value?: T; error?: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await jest.advanceTimersByTimeAsync(ms);
  return outcome;
}

/** As `useFakeRetryTime`, plus fresh WebSocket connection state (and its default limits) per test. */
export function useFakeWebSocketTime(): void {
  useFakeRetryTime();
  beforeEach(() => resetWebSocketConnections());
  afterEach(() => configureWebSocketConnections());
}

/** Resolves with the value or the rejection reason, whichever comes. */
export const outcome = (p: Promise<unknown>): Promise<unknown> => p.then((v) => v, (e: unknown) => e);
