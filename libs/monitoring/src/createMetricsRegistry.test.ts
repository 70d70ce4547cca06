import { Registry, register as globalRegistry } from 'prom-client';
import { createMetricsRegistry } from './createMetricsRegistry';
import { MetricsCollector } from './MetricsCollector';

describe('createMetricsRegistry', () => {
  it('returns a new, empty registry each time, never the global one', async () => {
    const a = createMetricsRegistry();
    const b = createMetricsRegistry();
    expect(a).toBeInstanceOf(Registry);
    expect(a).not.toBe(b);
    expect(a).not.toBe(globalRegistry);
    expect(a.getMetricsAsArray()).toHaveLength(0);
    // Two collectors with the same names can live in two registries.
    new MetricsCollector({ registry: a }).recordOperation('x', 1, true);
    new MetricsCollector({ registry: b });
    expect(await a.metrics()).toContain('operations_total{operation="x",outcome="success"} 1');
    expect(await b.metrics()).not.toContain('operation="x"');
  });

  it('adds default labels to every series', async () => {
    const registry = createMetricsRegistry({ defaultLabels: { service: 'auth' } });
    new MetricsCollector({ registry }).recordOperation('x', 1, true);
    expect(await registry.metrics()).toContain('operations_total{operation="x",outcome="success",service="auth"} 1');
  });

  it('exports process metrics only when asked, on that registry alone', async () => {
    const globalBefore = globalRegistry.getMetricsAsArray().length;
    expect(await createMetricsRegistry().metrics()).not.toContain('process_cpu');
    const registry = createMetricsRegistry({ processMetrics: true, processMetricsPrefix: 'auth_' });
    expect(await registry.metrics()).toContain('auth_process_cpu_user_seconds_total');
    expect(globalRegistry.getMetricsAsArray()).toHaveLength(globalBefore);
  });
});
