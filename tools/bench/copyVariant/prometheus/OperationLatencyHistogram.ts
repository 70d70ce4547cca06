import type { Aggregator } from 'prom-client';
import type { OperationStats } from '../OperationStats';
import type { LatencyBuckets } from '../LatencyBuckets';

export interface OperationLatencyHistogramConfig {
  name: string;
  help: string;
  /** Ascending upper bounds in seconds (the same array the collector's series count into). */
  buckets: readonly number[];
  operations: () => Iterable<[string, OperationStats]>;
}

/** One exported sample, as prom-client's Registry reads it from `get()`. */
export interface HistogramSample {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

/** A sample whose series labels sit in a shared object, as prom-client's Histogram emits them. */
export interface SharedLabelSample extends HistogramSample {
  sharedLabels: Readonly<Record<string, string>>;
}

/** What `get()` returns: the shape of prom-client's own `Histogram.get()`. */
export interface HistogramValues {
  name: string;
  help: string;
  type: 'histogram';
  values: HistogramSample[];
  aggregator: Aggregator;
}

/**
 * A histogram labelled `operation` and `outcome` whose buckets live in the collector's
 * {@link OperationStats}. It has the shape prom-client's Registry reads from a metric (`name`,
 * `help`, `type`, `aggregator`, `get()`, `getForPromString()`, `reset()`) and produces the same
 * samples (series order aside) as a prom-client `Histogram` fed the same observations, in text
 * and JSON, with and without default labels — a test holds it to that.
 * It exists because prom-client's `observe()` costs more than the rest of recording together.
 */
export class OperationLatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator: Aggregator = 'sum';
  readonly labelNames = ['operation', 'outcome'] as const;
  readonly name: string;
  readonly help: string;
  readonly #buckets: readonly number[];
  readonly #operations: () => Iterable<[string, OperationStats]>;
  // Keyed by series so the labels object lives exactly as long as the series does.
  readonly #sharedLabels = new WeakMap<LatencyBuckets, Readonly<Record<string, string>>>();

  constructor(config: OperationLatencyHistogramConfig) {
    this.name = config.name;
    this.help = config.help;
    this.#buckets = config.buckets;
    this.#operations = config.operations;
  }

  /** Samples with every label on the sample (what `registry.getMetricsAsJSON()` reads). */
  async get(): Promise<HistogramValues> {
    const values = this.#samples().map(({ labels, sharedLabels, value, metricName }) => ({
      labels: { ...labels, ...sharedLabels },
      value,
      metricName,
    }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /**
   * Samples as prom-client's Histogram hands them to the text exposition: `le` on the sample,
   * `operation`/`outcome` in a `sharedLabels` object the Registry formats once per object. The
   * objects are kept per series across scrapes so that cache keeps hitting.
   */
  async getForPromString(): Promise<HistogramValues & { values: SharedLabelSample[] }> {
    return { name: this.name, help: this.help, type: this.type, values: this.#samples(), aggregator: this.aggregator };
  }

  /**
   * `Registry.resetMetrics()` lands here. The figures belong to the collector and every other
   * exported metric is re-derived from it on scrape, so this one does the same: reset the
   * collector (`collector.reset()`) to clear them.
   */
  reset(): void {
    // Intentionally empty; see above.
  }

  #samples(): SharedLabelSample[] {
    const values: SharedLabelSample[] = [];
    for (const [operation, stats] of this.#operations()) {
      if (stats.success && stats.success.count > 0) this.#push(values, operation, 'success', stats.success);
      if (stats.failure && stats.failure.count > 0) this.#push(values, operation, 'failure', stats.failure);
    }
    return values;
  }

  #push(values: SharedLabelSample[], operation: string, outcome: string, series: LatencyBuckets): void {
    let shared = this.#sharedLabels.get(series);
    if (shared === undefined) {
      shared = { operation, outcome };
      this.#sharedLabels.set(series, shared);
    }
    const bucketName = `${this.name}_bucket`;
    const cumulative = series.cumulative();
    for (let i = 0; i < this.#buckets.length; i++) {
      values.push({ labels: { le: this.#buckets[i] }, sharedLabels: shared, value: cumulative[i], metricName: bucketName });
    }
    values.push({ labels: { le: '+Inf' }, sharedLabels: shared, value: series.count, metricName: bucketName });
    values.push({ labels: {}, sharedLabels: shared, value: series.sumSeconds, metricName: `${this.name}_sum` });
    values.push({ labels: {}, sharedLabels: shared, value: series.count, metricName: `${this.name}_count` });
  }
}
