import type { CircuitBreakerStateName, WebSocketMetrics } from '../IMetricsCollector';
import type { OperationStats } from '../OperationStats';

/**
 * What the Prometheus export reads at scrape time. The collector keeps the only copy of every
 * figure; the exported metrics are views over it, so recording never touches prom-client.
 */
export interface PrometheusSource {
  operations(): Iterable<[string, OperationStats]>;
  circuitBreakers(): Iterable<[string, CircuitBreakerStateName]>;
  events(): Iterable<[string, number]>;
  webSocket(): WebSocketMetrics;
}
