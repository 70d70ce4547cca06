/** Names of the exported metrics, before the collector's `prefix`. */
export const EXPORTED_METRIC_NAMES = {
  latency: 'operation_duration_seconds',
  operations: 'operations_total',
  circuitBreakerState: 'circuit_breaker_state',
  webSocketActive: 'websocket_connections_active',
  webSocketOpened: 'websocket_connections_opened_total',
  events: 'events_total',
} as const;

export type ExportedMetric = keyof typeof EXPORTED_METRIC_NAMES;

export function exportedMetricNames(prefix: string): Record<ExportedMetric, string> {
  const entries = Object.entries(EXPORTED_METRIC_NAMES).map(([key, name]) => [key, `${prefix}${name}`]);
  return Object.fromEntries(entries) as Record<ExportedMetric, string>;
}
