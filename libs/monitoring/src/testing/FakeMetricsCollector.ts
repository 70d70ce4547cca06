import type { CircuitBreakerStateName, IMetricsCollector, MetricsSnapshot } from '../IMetricsCollector';

/**
 * Records every call so tests can assert on them: each operation, each breaker state in order,
 * and event counts. The one test double of `IMetricsCollector` for every lib, app and tool.
 */
export class FakeMetricsCollector implements IMetricsCollector {
  operations: Array<{ operation: string; durationMs: number; success: boolean; errorCode?: string }> = [];
  breakerStates: Array<{ breaker: string; state: CircuitBreakerStateName }> = [];
  events: Record<string, number> = {};

  recordOperation(operation: string, durationMs: number, success: boolean, errorCode?: string): void {
    this.operations.push({ operation, durationMs, success, errorCode });
  }

  recordCircuitBreakerState(breaker: string, state: CircuitBreakerStateName): void {
    this.breakerStates.push({ breaker, state });
  }

  recordWebSocketConnection(): void {
    /* no test asserts on it */
  }

  incrementEvent(event: string, by = 1): void {
    this.events[event] = (this.events[event] ?? 0) + by;
  }

  /** How often `event` was counted (0 when never). */
  count(event: string): number {
    return this.events[event] ?? 0;
  }

  getMetrics(): MetricsSnapshot {
    const errors = this.operations.filter((o) => !o.success);
    return {
      operationCount: this.operations.length,
      errorCount: errors.length,
      averageResponseTime: 0,
      lastOperationTime: null,
      errorsByCode: {},
      operations: {},
      circuitBreakers: Object.fromEntries(this.breakerStates.map((b) => [b.breaker, b.state])),
      webSocket: { activeConnections: 0, totalConnections: 0 },
      events: { ...this.events },
    };
  }

  reset(): void {
    this.operations = [];
    this.breakerStates = [];
    this.events = {};
  }
}
