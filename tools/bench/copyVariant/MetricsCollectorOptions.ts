import type { OpenMetricsContentType, PrometheusContentType, Registry } from 'prom-client';
import { MetricsConfigError, MetricsConfigErrorCode } from './errors/MetricsConfigError';
import type { MetricsLogger } from './MetricsLogger';
import { SILENT_LOGGER } from './MetricsLogger';

/**
 * Latency bounds in seconds, tuned for database and cache calls: sub-millisecond L1 hits up to
 * multi-second timeouts.
 */
export const DEFAULT_LATENCY_BUCKETS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** A prom-client registry of either exposition format. */
export type MetricsRegistry = Registry<PrometheusContentType> | Registry<OpenMetricsContentType>;

export interface MetricsCollectorOptions {
  /**
   * prom-client registry to export into. Injected, never the global one; without it the
   * collector only keeps `getMetrics()` figures and skips histogram work.
   * @default undefined
   */
  registry: MetricsRegistry | undefined;
  /** Prefix for every exported metric name (e.g. `auth_`). @default '' */
  prefix: string;
  /** Histogram upper bounds in seconds, strictly ascending and finite. @default DEFAULT_LATENCY_BUCKETS */
  buckets: readonly number[];
  /** Distinct operation names kept; later ones are folded into `other`. @default 200 */
  maxOperations: number;
  /** Distinct circuit breaker names kept; later ones are folded into `other`. @default 100 */
  maxCircuitBreakers: number;
  /** Distinct event names kept; later ones are folded into `other`. @default 200 */
  maxEvents: number;
  /** Distinct error codes kept per operation; later ones are counted under `other`. @default 50 */
  maxErrorCodes: number;
  /** Names (operations, breakers, events, codes) longer than this are folded into `other`. @default 128 */
  maxNameLength: number;
  /** pino-shaped logger; warns once per kind when a name cap is reached. @default SILENT_LOGGER */
  logger: MetricsLogger;
  /** Clock for `lastOperationTime`, in epoch milliseconds. @default Date.now */
  now: () => number;
}

export const DEFAULT_METRICS_COLLECTOR_OPTIONS: Readonly<MetricsCollectorOptions> = Object.freeze({
  registry: undefined,
  prefix: '',
  buckets: DEFAULT_LATENCY_BUCKETS,
  maxOperations: 200,
  maxCircuitBreakers: 100,
  maxEvents: 200,
  maxErrorCodes: 50,
  maxNameLength: 128,
  logger: SILENT_LOGGER,
  now: Date.now,
});

const LIMIT_OPTIONS = ['maxOperations', 'maxCircuitBreakers', 'maxEvents', 'maxErrorCodes', 'maxNameLength'] as const;
// What prom-client accepts as a metric name; checked here so a bad prefix fails with our code.
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function invalid(option: string, message: string): MetricsConfigError {
  return new MetricsConfigError(MetricsConfigErrorCode.INVALID_OPTION, option, message);
}

/** Merges `options` over the defaults and rejects values the collector cannot work with. */
export function resolveMetricsCollectorOptions(options: Partial<MetricsCollectorOptions> = {}): MetricsCollectorOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const resolved: MetricsCollectorOptions = { ...DEFAULT_METRICS_COLLECTOR_OPTIONS, ...defined };
  for (const key of LIMIT_OPTIONS) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value < 1) throw invalid(key, `${key} must be a positive integer, got ${String(value)}`);
  }
  const { buckets, prefix } = resolved;
  if (!Array.isArray(buckets) || buckets.length === 0) throw invalid('buckets', 'buckets must be a non-empty array');
  for (let i = 0; i < buckets.length; i++) {
    const bound = buckets[i];
    if (typeof bound !== 'number' || !Number.isFinite(bound) || (i > 0 && bound <= buckets[i - 1])) {
      throw invalid('buckets', 'buckets must be finite numbers in strictly ascending order');
    }
  }
  if (typeof prefix !== 'string' || (prefix !== '' && !METRIC_NAME.test(prefix))) {
    throw invalid('prefix', `prefix must match ${METRIC_NAME.source}`);
  }
  if (typeof resolved.now !== 'function') throw invalid('now', 'now must be a function');
  return { ...resolved, buckets: Object.freeze([...buckets]) };
}
