import type { CircuitBreakerStateName, IMetricsCollector, MetricsSnapshot } from '@libs/monitoring';

/** Test-only metrics collector that keeps every call. */
export class FakeMetrics implements IMetricsCollector {
  operations: Array<{ operation: string; durationMs: number; success: boolean; errorCode?: string }> = [];
  breakers: Array<{ breaker: string; state: CircuitBreakerStateName }> = [];
  events: Record<string, number> = {};

  recordOperation(operation: string, durationMs: number, success: boolean, errorCode?: string): void {
    this.operations.push({ operation, durationMs, success, errorCode });
  }
  recordCircuitBreakerState(breaker: string, state: CircuitBreakerStateName): void {
    this.breakers.push({ breaker, state });
  }
  recordWebSocketConnection(): void {
    /* unused */
  }
  incrementEvent(event: string, by = 1): void {
    this.events[event] = (this.events[event] ?? 0) + by;
  }
  getMetrics(): MetricsSnapshot {
    const errors = this.operations.filter((o) => !o.success).length;
    return {
      operationCount: this.operations.length,
      errorCount: errors,
      averageResponseTime: 0,
      lastOperationTime: null,
      errorsByCode: {},
      operations: {},
      circuitBreakers: Object.fromEntries(this.breakers.map((b) => [b.breaker, b.state])),
      webSocket: { activeConnections: 0, totalConnections: 0 },
      events: this.events,
    };
  }
  reset(): void {
    this.operations = [];
    this.breakers = [];
    this.events = {};
  }
}
