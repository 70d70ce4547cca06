import { compactSnapshot } from './compactSnapshot';
import { MetricsConfigError, MetricsConfigErrorCode } from './errors/MetricsConfigError';
import type { IMetricsCollector } from './IMetricsCollector';
import type { MetricsLogger } from './MetricsLogger';

export interface PeriodicSnapshotOptions {
  /** Milliseconds between snapshots (1 ms to 2^31-1, setInterval's range). @default 60_000 */
  intervalMs: number;
  /** Log level of the snapshot line. @default 'debug' */
  level: 'debug' | 'info';
  /** Message of the snapshot line. @default 'metrics snapshot' */
  message: string;
  /**
   * Operations, error codes per operation, events and breakers kept per line (the largest);
   * the line says how many were left out, so its size stays bounded. @default 20
   */
  maxEntries: number;
}

export const DEFAULT_PERIODIC_SNAPSHOT_OPTIONS: Readonly<PeriodicSnapshotOptions> = Object.freeze({
  intervalMs: 60_000,
  level: 'debug',
  message: 'metrics snapshot',
  maxEntries: 20,
});

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Logs `source.getMetrics()` (cut to its `maxEntries` largest entries of each kind) every `intervalMs`, with the operations and errors recorded since
 * the previous line, so a log search shows load over time without a Prometheus server. The
 * timer is unref'd (a snapshot must never keep a process alive) and a throwing source or logger
 * is swallowed (a snapshot must never crash one). Returns an idempotent stop function.
 */
export function startPeriodicSnapshot(
  source: Pick<IMetricsCollector, 'getMetrics'>,
  logger: MetricsLogger,
  options: Partial<PeriodicSnapshotOptions> = {},
): () => void {
  const { intervalMs, level, message, maxEntries } = { ...DEFAULT_PERIODIC_SNAPSHOT_OPTIONS, ...options };
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new MetricsConfigError(MetricsConfigErrorCode.INVALID_OPTION, 'maxEntries', `maxEntries must be a positive integer, got ${String(maxEntries)}`);
  }
  if (!Number.isInteger(intervalMs) || intervalMs < 1 || intervalMs > MAX_TIMER_MS) {
    throw new MetricsConfigError(
      MetricsConfigErrorCode.INVALID_OPTION,
      'intervalMs',
      `intervalMs must be an integer from 1 to ${MAX_TIMER_MS}, got ${String(intervalMs)}`,
    );
  }
  let previous = { operations: 0, errors: 0 };
  const tick = (): void => {
    try {
      const metrics = source.getMetrics();
      // After a reset() the totals drop below the previous line; count from zero then.
      const sinceLast = {
        operations: metrics.operationCount >= previous.operations ? metrics.operationCount - previous.operations : metrics.operationCount,
        errors: metrics.errorCount >= previous.errors ? metrics.errorCount - previous.errors : metrics.errorCount,
      };
      previous = { operations: metrics.operationCount, errors: metrics.errorCount };
      logger[level]({ intervalMs, sinceLast, metrics: compactSnapshot(metrics, maxEntries) }, message);
    } catch {
      // Never let observability take the process down; the next tick tries again.
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
