import { collectDefaultMetrics, Registry } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Labels added to every exported series (e.g. `{ service: 'auth' }`); keep them constant. @default {} */
  defaultLabels: Record<string, string>;
  /**
   * Also export prom-client's process metrics (CPU, memory, event-loop lag, GC) on this
   * registry. Off by default so libraries and tests stay quiet; an app's /metrics turns it on.
   * @default false
   */
  processMetrics: boolean;
  /** Prefix for the process metrics' names. @default '' */
  processMetricsPrefix: string;
}

export const DEFAULT_METRICS_REGISTRY_OPTIONS: Readonly<MetricsRegistryOptions> = Object.freeze({
  defaultLabels: {},
  processMetrics: false,
  processMetricsPrefix: '',
});

/**
 * A fresh prom-client `Registry` — never the global one, so two apps (or two tests) in a
 * process cannot see or clash with each other's metrics. Serve it with
 * `res.type(registry.contentType).send(await registry.metrics())`.
 */
export function createMetricsRegistry(options: Partial<MetricsRegistryOptions> = {}): Registry {
  const { defaultLabels, processMetrics, processMetricsPrefix } = { ...DEFAULT_METRICS_REGISTRY_OPTIONS, ...options };
  const registry = new Registry();
  if (Object.keys(defaultLabels).length > 0) registry.setDefaultLabels({ ...defaultLabels });
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: processMetricsPrefix });
  return registry;
}
