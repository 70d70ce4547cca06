import type { CircuitBreakerStateName, IMetricsCollector, MetricsSnapshot, OperationMetrics } from '@libs/monitoring';

/** A small in-memory IMetricsCollector for tests (the real one lives in @libs/monitoring). */
export class FakeMetrics implements IMetricsCollector {
  events = new Map<string, number>();
  operations: Array<{ operation: string; success: boolean; errorCode?: string }> = [];
  breakers = new Map<string, CircuitBreakerStateName>();

  recordOperation(operation: string, _durationMs: number, success: boolean, errorCode?: string): void {
    this.operations.push({ operation, success, errorCode });
  }

  recordCircuitBreakerState(breaker: string, state: CircuitBreakerStateName): void {
    this.breakers.set(breaker, state);
  }

  recordWebSocketConnection(): void {
    // not used by the cache
  }

  incrementEvent(event: string, by = 1): void {
    this.events.set(event, (this.events.get(event) ?? 0) + by);
  }

  count(event: string): number {
    return this.events.get(event) ?? 0;
  }

  getMetrics(): MetricsSnapshot {
    const empty: OperationMetrics = { operationCount: 0, errorCount: 0, averageResponseTime: 0, lastOperationTime: null, errorsByCode: {} };
    return {
      ...empty,
      operations: {},
      circuitBreakers: Object.fromEntries(this.breakers),
      webSocket: { activeConnections: 0, totalConnections: 0 },
      events: Object.fromEntries(this.events),
    };
  }

  reset(): void {
    this.events.clear();
    this.operations = [];
    this.breakers.clear();
  }
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, stepMs = 2): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
