import { Registry } from 'prom-client';
import { MetricsCollector } from '@libs/monitoring';
import { quantileMs, summariseRoutes } from './adminHealthSummary';

describe('health summary figures', () => {
  it('estimates quantiles from cumulative buckets like histogram_quantile', () => {
    const buckets = { bounds: new Map([[0.01, 50], [0.1, 99], [1, 100], [Infinity, 100]]), count: 100 };
    expect(quantileMs(0.5, buckets)).toBe(10);
    expect(quantileMs(0.99, buckets)).toBe(100);
    expect(quantileMs(0.5, { bounds: new Map(), count: 0 })).toBeNull();
    // Past the last finite bound: the bound itself (Prometheus does the same).
    expect(quantileMs(0.99, { bounds: new Map([[0.01, 0], [Infinity, 10]]), count: 10 })).toBe(10);
  });

  it('summarises only http operations, per route, with their error rate', async () => {
    const registry = new Registry();
    const metrics = new MetricsCollector({ registry, prefix: 'auth_' });
    for (let i = 0; i < 10; i++) metrics.recordOperation('http GET /a', 2, i !== 0, i === 0 ? 'HTTP_503' : undefined);
    metrics.recordOperation('user.findById', 1, true);
    const routes = await summariseRoutes(registry, metrics);
    expect(routes.map((r) => r.route)).toEqual(['GET /a']);
    expect(routes[0]).toMatchObject({ count: 10, errors: 1, errorRate: 0.1 });
    expect(routes[0]!.p50Ms).toBeGreaterThan(0);
    expect(routes[0]!.p50Ms).toBeLessThanOrEqual(2.5);
  });
});
