import { startPeriodicSnapshot, type IMetricsCollector, type MetricsLogger } from '@libs/monitoring';
import { z } from 'zod';
import type { Closer } from '../lifecycle';

/** Merged into the app's config schema. */
export const metricsSnapshotConfigShape = {
  /** The seed's "periodic flush": a compact metrics line at debug every this many ms; 0 = off. */
  METRICS_SNAPSHOT_INTERVAL_MS: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(60_000),
};

/** Operations, events and breakers per snapshot line (the largest), so a line stays a few KB. */
const SNAPSHOT_MAX_ENTRIES = 20;

/**
 * Starts the periodic snapshot (unref'd timer; names and counts only, never request data: the
 * collector's names are bounded, and none carries a secret) and returns its closer, or none when
 * `intervalMs` is 0.
 */
export function startMetricsSnapshot(metrics: Pick<IMetricsCollector, 'getMetrics'>, logger: MetricsLogger, intervalMs: number): Closer | undefined {
  if (intervalMs === 0) return undefined;
  const stop = startPeriodicSnapshot(metrics, logger, { intervalMs, maxEntries: SNAPSHOT_MAX_ENTRIES });
  return { name: 'metrics snapshot', close: async () => stop() };
}
