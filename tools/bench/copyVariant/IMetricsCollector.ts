import type { MetricsLogger } from './MetricsLogger';

/** State of a circuit breaker as reported to metrics (cockatiel's states, lower-cased). */
export type CircuitBreakerStateName = 'closed' | 'open' | 'half-open' | 'isolated';

/** Figures for one operation name (or for all operations together). */
export interface OperationMetrics {
  /** Calls recorded, successes and failures. */
  operationCount: number;
  /** Calls recorded as failures. */
  errorCount: number;
  /** Mean duration in milliseconds over all recorded calls (0 when none). */
  averageResponseTime: number;
  /** Epoch milliseconds of the last recorded call, or null when none. */
  lastOperationTime: number | null;
  /** Failures by error code (bounded; codes past the cap are counted under `other`). */
  errorsByCode: Record<string, number>;
}

export interface WebSocketMetrics {
  /** Connections open now. */
  activeConnections: number;
  /** Connections opened since start or reset. */
  totalConnections: number;
}

/** What `getMetrics()` returns: overall figures, per-operation figures, breakers, sockets, events. */
export interface MetricsSnapshot extends OperationMetrics {
  operations: Record<string, OperationMetrics>;
  circuitBreakers: Record<string, CircuitBreakerStateName>;
  webSocket: WebSocketMetrics;
  /** Counted events (cache hits, stale values served, retries, budget refusals …). */
  events: Record<string, number>;
}

/**
 * The seed's metrics contract. Every repository, cache and retry call records through it, so
 * implementations must be cheap and must never throw.
 */
export interface IMetricsCollector {
  /** Records one finished operation. `errorCode` is a stable code such as `TIMEOUT`, never a message. */
  recordOperation(operation: string, durationMs: number, success: boolean, errorCode?: string): void;
  /** Records the current state of a named circuit breaker. */
  recordCircuitBreakerState(breaker: string, state: CircuitBreakerStateName): void;
  /** Records a WebSocket connection opening or closing. */
  recordWebSocketConnection(change: 'opened' | 'closed'): void;
  /** Counts a named event (e.g. `cache.l1.hit`, `retry.budget_exhausted`). */
  incrementEvent(event: string, by?: number): void;
  /** A copy of the current figures; later recording does not change it. */
  getMetrics(): MetricsSnapshot;
  /**
   * Clears what accumulates (operations, errors, events, connections opened). Current state —
   * open connections and each breaker's last state — is kept, because it is still true.
   */
  reset(): void;
  /**
   * Optional: logs `getMetrics()` every `intervalMs` (the seed's "periodic flush") on an
   * unref'd timer, so it never keeps the process alive. Returns the function that stops it.
   */
  startPeriodicSnapshot?(logger: MetricsLogger, intervalMs?: number): () => void;
}
