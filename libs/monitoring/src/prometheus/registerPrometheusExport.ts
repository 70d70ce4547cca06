import { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsRegistry } from '../MetricsCollectorOptions';
import { MetricsConfigError, MetricsConfigErrorCode } from '../errors/MetricsConfigError';
import type { CircuitBreakerStateName } from '../IMetricsCollector';
import type { PrometheusSource } from './PrometheusSource';
import { exportedMetricNames } from './exportMetricNames';

/** Every state a breaker can report, so each breaker exports one 0/1 series per state. */
export const CIRCUIT_BREAKER_STATES: readonly CircuitBreakerStateName[] = ['closed', 'open', 'half-open', 'isolated'];

export interface PrometheusExportConfig {
  registry: MetricsRegistry;
  prefix: string;
  /** Upper bounds in seconds, ascending. */
  buckets: readonly number[];
  source: PrometheusSource;
}

/** Handle on the metrics registered for one collector. */
export interface PrometheusExport {
  /** Names of the metrics this export registered. */
  readonly names: readonly string[];
  /**
   * The latency histogram, prom-client's own class, observed on every recorded operation (the
   * only exported figure not derived from the collector at scrape time: a histogram's buckets
   * cannot be set, only observed).
   */
  readonly latency: Histogram<'operation' | 'outcome'>;
  /** Removes them from the registry (idempotent). */
  unregister(): void;
}

/**
 * Registers the collector's views on an injected registry: the latency histogram and the
 * operation counter (labels `operation`, `outcome` only), breaker state, WebSocket gauges and
 * event counts. Every value is read from `source` when the registry is scraped.
 */
export function registerPrometheusExport(config: PrometheusExportConfig): PrometheusExport {
  const { registry, source } = config;
  const names = exportedMetricNames(config.prefix);
  // Check every name first so a clash leaves the registry as it was, not half-registered.
  for (const name of Object.values(names)) {
    if (registry.getSingleMetric(name)) {
      throw new MetricsConfigError(
        MetricsConfigErrorCode.METRIC_NAME_TAKEN,
        name,
        `the registry already has a metric named "${name}"; give this collector another prefix`,
      );
    }
  }

  // prom-client's Histogram rather than a copy of its internals: `npm run bench -- metrics` puts
  // recording with it at ~1.1x a bare prom-client observe() (target <= 1.5x); see docs/benchmarks.md.
  const latency = new Histogram({
    name: names.latency,
    help: 'Duration of recorded operations in seconds, by operation and outcome.',
    labelNames: ['operation', 'outcome'],
    buckets: [...config.buckets],
    registers: [registry],
  });

  new Counter({
    name: names.operations,
    help: 'Recorded operations, by operation and outcome.',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [operation, stats] of source.operations()) {
        this.inc({ operation, outcome: 'success' }, stats.count - stats.errors);
        this.inc({ operation, outcome: 'failure' }, stats.errors);
      }
    },
  });

  new Gauge({
    name: names.circuitBreakerState,
    help: 'Circuit breaker state: 1 for the current state of each breaker, 0 for the others.',
    labelNames: ['breaker', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [breaker, current] of source.circuitBreakers()) {
        for (const state of CIRCUIT_BREAKER_STATES) this.set({ breaker, state }, state === current ? 1 : 0);
      }
    },
  });

  new Gauge({
    name: names.webSocketActive,
    help: 'WebSocket connections open now.',
    registers: [registry],
    collect() {
      this.set(source.webSocket().activeConnections);
    },
  });

  new Counter({
    name: names.webSocketOpened,
    help: 'WebSocket connections opened.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(source.webSocket().totalConnections);
    },
  });

  new Counter({
    name: names.events,
    help: 'Counted events (cache hits, retries, budget refusals ...), by event.',
    labelNames: ['event'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [event, count] of source.events()) this.inc({ event }, count);
    },
  });

  const registered = Object.values(names);
  let removed = false;
  return {
    names: registered,
    latency,
    unregister() {
      if (removed) return;
      removed = true;
      for (const name of registered) registry.removeSingleMetric(name);
    },
  };
}
