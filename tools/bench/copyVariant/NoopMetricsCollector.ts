import type { CircuitBreakerStateName, IMetricsCollector, MetricsSnapshot } from './IMetricsCollector';

/**
 * An {@link IMetricsCollector} that keeps nothing: the default for libs whose caller passes no
 * collector, so call sites never need `metrics?.` checks. `getMetrics()` reports zeros.
 */
export class NoopMetricsCollector implements IMetricsCollector {
  recordOperation(_operation: string, _durationMs: number, _success: boolean, _errorCode?: string): void {
    // Intentionally nothing.
  }

  recordCircuitBreakerState(_breaker: string, _state: CircuitBreakerStateName): void {
    // Intentionally nothing.
  }

  recordWebSocketConnection(_change: 'opened' | 'closed'): void {
    // Intentionally nothing.
  }

  incrementEvent(_event: string, _by?: number): void {
    // Intentionally nothing.
  }

  getMetrics(): MetricsSnapshot {
    return {
      operationCount: 0,
      errorCount: 0,
      averageResponseTime: 0,
      lastOperationTime: null,
      errorsByCode: {},
      operations: {},
      circuitBreakers: {},
      webSocket: { activeConnections: 0, totalConnections: 0 },
      events: {},
    };
  }

  reset(): void {
    // Intentionally nothing.
  }
}
