/**
 * Thrown without calling the operation when its circuit breaker is open (or held open with
 * `isolate()`). `retryAfterMs` is the time until the breaker lets a probe call through; it is
 * `Infinity` for an isolated breaker, which only a human (or `dispose()`) closes.
 */
export class CircuitOpenError extends Error {
  readonly code = 'CIRCUIT_OPEN' as const;
  readonly breakerKey: string;
  readonly retryAfterMs: number;
  readonly state: 'open' | 'isolated';

  constructor(breakerKey: string, retryAfterMs: number, options: { state?: 'open' | 'isolated'; cause?: unknown } = {}) {
    super(`circuit "${breakerKey}" is ${options.state ?? 'open'}; retry after ${retryAfterMs} ms`, { cause: options.cause });
    this.name = 'CircuitOpenError';
    this.breakerKey = breakerKey;
    this.retryAfterMs = retryAfterMs;
    this.state = options.state ?? 'open';
  }
}

export function isCircuitOpenError(error: unknown): error is CircuitOpenError {
  return error instanceof CircuitOpenError;
}
