import type { MetricsSnapshot, OperationMetrics } from './IMetricsCollector';

/** A snapshot cut to its largest entries, with how many of each kind were left out. */
export interface CompactSnapshot extends MetricsSnapshot {
  omitted: { operations: number; errorCodes: number; events: number; circuitBreakers: number };
}

function top<V>(entries: Array<[string, V]>, max: number, weight: (value: V) => number): Array<[string, V]> {
  return entries.length <= max ? entries : [...entries].sort((a, b) => weight(b[1]) - weight(a[1])).slice(0, max);
}

/**
 * Keeps the `maxEntries` busiest operations (each with its `maxEntries` commonest error codes),
 * the `maxEntries` largest events and the `maxEntries` breakers furthest from closed, so one log
 * line stays a few kilobytes however many names the collector holds. Overall figures stay exact.
 */
export function compactSnapshot(metrics: MetricsSnapshot, maxEntries: number): CompactSnapshot {
  let omittedCodes = 0;
  const operations = top(Object.entries(metrics.operations), maxEntries, (op) => op.operationCount).map(
    ([name, op]): [string, OperationMetrics] => {
      const codes = Object.entries(op.errorsByCode);
      const kept = top(codes, maxEntries, (n) => n);
      omittedCodes += codes.length - kept.length;
      return [name, { ...op, errorsByCode: Object.fromEntries(kept) }];
    },
  );
  const events = top(Object.entries(metrics.events), maxEntries, (n) => n);
  const breakers = top(Object.entries(metrics.circuitBreakers), maxEntries, (state) => (state === 'closed' ? 0 : 1));
  return {
    ...metrics,
    operations: Object.fromEntries(operations),
    events: Object.fromEntries(events),
    circuitBreakers: Object.fromEntries(breakers),
    omitted: {
      operations: Object.keys(metrics.operations).length - operations.length,
      errorCodes: omittedCodes,
      events: Object.keys(metrics.events).length - events.length,
      circuitBreakers: Object.keys(metrics.circuitBreakers).length - breakers.length,
    },
  };
}
