import { z } from 'zod';
import { createMetricsRegistry } from '@libs/monitoring';
import type { Registry } from 'prom-client';

export const processMetricsConfigShape = {
  /** Also export prom-client's process and Node metrics on /metrics (`process_resident_memory_bytes`, `nodejs_heap_size_used_bytes`, GC, event-loop lag). */
  METRICS_PROCESS: z.enum(['on', 'off']).default('off'),
};

/** The app's metrics registry: its service label, and the process metrics when METRICS_PROCESS=on. */
export function appMetricsRegistry(config: { METRICS_PROCESS: 'on' | 'off' }): Registry {
  return createMetricsRegistry({ defaultLabels: { service: 'auth-service' }, processMetrics: config.METRICS_PROCESS === 'on' });
}
