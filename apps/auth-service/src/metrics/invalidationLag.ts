import { DEFAULT_LATENCY_BUCKETS } from '@libs/monitoring';
import { Histogram, type Registry } from 'prom-client';

/** Publish on one instance → applied on this one, for every cache invalidation from the bus. */
export const INVALIDATION_LAG_METRIC = 'auth_cache_invalidation_lag_seconds';

/** The histogram on this registry (one per registry: several app contexts may share one in tests). */
export function invalidationLagHistogram(registry: Registry): Histogram {
  const existing = registry.getSingleMetric(INVALIDATION_LAG_METRIC);
  if (existing) return existing as Histogram;
  return new Histogram({
    name: INVALIDATION_LAG_METRIC,
    help: 'Seconds from a cache invalidation being published on another instance to it being applied here (wall clocks)',
    buckets: [...DEFAULT_LATENCY_BUCKETS],
    registers: [registry],
  });
}
