import type { CircuitBreakerStateName, IMetricsCollector, MetricsSnapshot } from '@libs/monitoring';

/** Records every call so tests can assert on them. Test-only; not exported by the lib. */
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
    /* not used by the retry family */
  }

  incrementEvent(event: string, by = 1): void {
    this.events[event] = (this.events[event] ?? 0) + by;
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

/** An error shaped like one from a given layer (Prisma, pg, Node, ioredis). */
export function errorWith(fields: Record<string, unknown>, message = 'test error'): Error {
  return Object.assign(new Error(message), fields);
}
