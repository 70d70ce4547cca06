import { Histogram, Registry, register as globalRegistry, type OpenMetricsContentType } from 'prom-client';
import { MetricsCollector } from '../MetricsCollector';
import { DEFAULT_LATENCY_BUCKETS } from '../MetricsCollectorOptions';
import { isMetricsConfigError, MetricsConfigErrorCode } from '../errors/MetricsConfigError';

/** Value of one exposition line, e.g. `sample(text, 'x_total{operation="a",outcome="success"}')`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Prometheus export', () => {
  let registry: Registry;

  beforeEach(() => {
    registry = new Registry();
  });

  it('prints the same histogram as prom-client fed the same observations', async () => {
    const collector = new MetricsCollector({ registry, prefix: 'ours_' });
    const referenceRegistry = new Registry();
    const reference = new Histogram({
      name: 'ours_operation_duration_seconds',
      help: 'Duration of recorded operations in seconds, by operation and outcome.',
      labelNames: ['operation', 'outcome'],
      buckets: [...DEFAULT_LATENCY_BUCKETS],
      registers: [referenceRegistry],
    });
    // Edges of buckets, values past the last bound, zero and sub-bucket values.
    const durationsMs = [0, 0.2, 0.5, 0.6, 1, 2.5, 3, 5, 7.5, 10, 24.9, 25, 99, 100, 250, 999, 1000, 4000, 10_000, 12_345];
    durationsMs.forEach((ms, i) => {
      const operation = i % 3 === 0 ? 'user.findById' : 'cache.get';
      const success = i % 4 !== 0;
      collector.recordOperation(operation, ms, success, success ? undefined : 'TIMEOUT');
      reference.observe({ operation, outcome: success ? 'success' : 'failure' }, ms / 1000);
    });
    const lines = async (r: Registry) => (await r.getSingleMetricAsString('ours_operation_duration_seconds')).split('\n');
    // Same lines; series may come in a different order (prom-client orders by first observation).
    expect((await lines(registry)).sort()).toEqual((await lines(referenceRegistry)).sort());
    expect(await lines(registry)).toContain('# TYPE ours_operation_duration_seconds histogram');
    // Same again with default labels, and in the JSON form.
    for (const r of [registry, referenceRegistry]) r.setDefaultLabels({ service: 'auth' });
    expect((await lines(registry)).sort()).toEqual((await lines(referenceRegistry)).sort());
    const json = async (r: Registry) => {
      const metric = (await r.getMetricsAsJSON()).find((m) => m.name === 'ours_operation_duration_seconds')!;
      // Compared by series name, labels and value; prom-client adds `exemplar: null` to buckets.
      return metric.values
        .map((v) => {
          const { metricName } = v as { metricName?: string };
          const labels = Object.entries(v.labels).sort(([a], [b]) => a.localeCompare(b));
          return JSON.stringify([metricName, labels, v.value]);
        })
        .sort();
    };
    expect(await json(registry)).toEqual(await json(referenceRegistry));
  });

  it('exports operation counters labelled by operation and outcome only', async () => {
    const collector = new MetricsCollector({ registry });
    collector.recordOperation('user.create', 4, true);
    collector.recordOperation('user.create', 6, false, 'P2002');
    collector.recordOperation('user.create', 5, false, 'TIMEOUT');
    collector.recordOperation('session.get', 1, true);
    const text = await registry.metrics();
    expect(sample(text, 'operations_total{operation="user.create",outcome="success"}')).toBe(1);
    expect(sample(text, 'operations_total{operation="user.create",outcome="failure"}')).toBe(2);
    expect(sample(text, 'operations_total{operation="session.get",outcome="failure"}')).toBe(0);
    expect(sample(text, 'operation_duration_seconds_count{operation="user.create",outcome="failure"}')).toBe(2);
    expect(sample(text, 'operation_duration_seconds_sum{operation="user.create",outcome="failure"}')).toBeCloseTo(0.011, 9);
    // Error codes stay in getMetrics(): as labels they would multiply the series.
    expect(text).not.toContain('P2002');
    expect(text).not.toContain('TIMEOUT');
  });

  it('reflects recording done after a scrape, and reset() on the next scrape', async () => {
    const collector = new MetricsCollector({ registry });
    collector.recordOperation('a', 1, true);
    expect(sample(await registry.metrics(), 'operations_total{operation="a",outcome="success"}')).toBe(1);
    collector.recordOperation('a', 1, true);
    expect(sample(await registry.metrics(), 'operations_total{operation="a",outcome="success"}')).toBe(2);
    collector.reset();
    const text = await registry.metrics();
    expect(sample(text, 'operations_total{operation="a",outcome="success"}')).toBeUndefined();
    expect(text).not.toContain('operation_duration_seconds_count{');
  });

  it('folds operation names past the cap into "other" in every exported series', async () => {
    const collector = new MetricsCollector({ registry, maxOperations: 3 });
    for (let i = 0; i < 50; i++) collector.recordOperation(`user.findById:${i}`, 1, true);
    const text = await registry.metrics();
    const operations = new Set([...text.matchAll(/operation="([^"]*)"/g)].map((m) => m[1]));
    expect([...operations].sort()).toEqual(['other', 'user.findById:0', 'user.findById:1', 'user.findById:2']);
    expect(sample(text, 'operations_total{operation="other",outcome="success"}')).toBe(47);
  });

  it('exports breaker state as one 0/1 series per state, and WebSocket and event figures', async () => {
    const collector = new MetricsCollector({ registry, prefix: 'app_' });
    collector.recordCircuitBreakerState('postgres', 'open');
    collector.recordCircuitBreakerState('redis', 'closed');
    collector.recordWebSocketConnection('opened');
    collector.recordWebSocketConnection('opened');
    collector.recordWebSocketConnection('closed');
    collector.incrementEvent('cache.l1.hit', 3);
    const text = await registry.metrics();
    expect(sample(text, 'app_circuit_breaker_state{breaker="postgres",state="open"}')).toBe(1);
    expect(sample(text, 'app_circuit_breaker_state{breaker="postgres",state="closed"}')).toBe(0);
    expect(sample(text, 'app_circuit_breaker_state{breaker="postgres",state="half-open"}')).toBe(0);
    expect(sample(text, 'app_circuit_breaker_state{breaker="redis",state="closed"}')).toBe(1);
    expect(sample(text, 'app_websocket_connections_active')).toBe(1);
    expect(sample(text, 'app_websocket_connections_opened_total')).toBe(2);
    expect(sample(text, 'app_events_total{event="cache.l1.hit"}')).toBe(3);
  });

  it('uses only the injected registry, never the global one', async () => {
    const before = (await globalRegistry.getMetricsAsJSON()).map((m) => m.name);
    const collector = new MetricsCollector({ registry });
    collector.recordOperation('a', 1, true);
    expect((await globalRegistry.getMetricsAsJSON()).map((m) => m.name)).toEqual(before);
    expect(registry.getSingleMetric('operation_duration_seconds')).toBeDefined();
  });

  it('refuses a registry that already has one of its names, registering nothing', () => {
    new MetricsCollector({ registry });
    const namesBefore = registry.getMetricsAsArray().length;
    let error: unknown;
    try {
      new MetricsCollector({ registry });
    } catch (e) {
      error = e;
    }
    expect(isMetricsConfigError(error) && error.code).toBe(MetricsConfigErrorCode.METRIC_NAME_TAKEN);
    expect(registry.getMetricsAsArray()).toHaveLength(namesBefore);
    // A prefix separates two collectors on one registry.
    expect(() => new MetricsCollector({ registry, prefix: 'second_' })).not.toThrow();
  });

  it('unregister() removes exactly its own metrics and is idempotent', async () => {
    const collector = new MetricsCollector({ registry, prefix: 'a_' });
    const other = new MetricsCollector({ registry, prefix: 'b_' });
    expect(collector.exportedMetricNames).toHaveLength(6);
    collector.unregister();
    collector.unregister();
    expect(registry.getMetricsAsArray().map((m) => m.name).sort()).toEqual([...other.exportedMetricNames].sort());
    collector.recordOperation('still.works', 1, true);
    expect(collector.getMetrics().operationCount).toBe(1);
    expect(await registry.metrics()).not.toContain('a_');
  });

  it('works with default labels, JSON output, OpenMetrics and Registry.merge', async () => {
    registry.setDefaultLabels({ service: 'auth' });
    const collector = new MetricsCollector({ registry });
    collector.recordOperation('a', 2, true);
    const text = await registry.metrics();
    // prom-client's own Histogram puts default labels before the series labels too.
    expect(sample(text, 'operation_duration_seconds_count{service="auth",operation="a",outcome="success"}')).toBe(1);
    expect(text).toContain('operation_duration_seconds_bucket{le="0.0025",service="auth",operation="a",outcome="success"} 1');
    expect(sample(text, 'operations_total{operation="a",outcome="success",service="auth"}')).toBe(1);

    const json = await registry.getMetricsAsJSON();
    const histogram = json.find((m) => m.name === 'operation_duration_seconds')!;
    expect(histogram.values.find((v) => v.labels.le === '+Inf')).toMatchObject({ value: 1 });

    const merged = Registry.merge([registry, new Registry()]);
    expect(await merged.metrics()).toContain('operation_duration_seconds_sum{operation="a",outcome="success"} 0.002');

    const open = new Registry<OpenMetricsContentType>();
    open.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    new MetricsCollector({ registry: open }).recordOperation('a', 2, false, 'X');
    const openText = await open.metrics();
    expect(openText).toContain('operations_total{operation="a",outcome="failure"} 1');
    expect(openText.endsWith('# EOF\n')).toBe(true);
  });

  it('registry.resetMetrics() clears the latency histogram only; counters are re-read from the collector', async () => {
    const collector = new MetricsCollector({ registry });
    collector.recordOperation('a', 1, true);
    expect(() => registry.resetMetrics()).not.toThrow();
    const text = await registry.metrics();
    expect(sample(text, 'operations_total{operation="a",outcome="success"}')).toBe(1);
    expect(text).not.toContain('operation_duration_seconds_count{');
    collector.recordOperation('a', 1, true);
    expect(sample(await registry.metrics(), 'operation_duration_seconds_count{operation="a",outcome="success"}')).toBe(1);
  });
});
