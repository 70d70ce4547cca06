import Fastify from 'fastify';
import { createMetricsRegistry, MetricsCollector } from '@libs/monitoring';
import { registerMetricsRoute } from './metricsRoute';

/** Parses Prometheus text into `name{labels} value` → value. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

describe('/metrics', () => {
  it('exports HTTP latency and counts per route pattern, bounded for unknown URLs', async () => {
    const registry = createMetricsRegistry();
    const metrics = new MetricsCollector({ registry, prefix: 'auth_' });
    const app = Fastify();
    registerMetricsRoute(app, { registry, metrics });
    app.get('/users/:id', async () => ({ ok: true }));
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    await app.inject('/users/1');
    await app.inject('/users/2');
    await app.inject('/boom');
    await app.inject('/random/a');
    await app.inject('/random/b');

    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const samples = parse(res.body);
    expect(samples.get('auth_operations_total{operation="http GET /users/:id",outcome="success"}')).toBe(2);
    expect(samples.get('auth_operations_total{operation="http GET /boom",outcome="failure"}')).toBe(1);
    expect(samples.get('auth_operations_total{operation="http GET unmatched",outcome="success"}')).toBe(2);
    expect(samples.get('auth_operation_duration_seconds_count{operation="http GET /users/:id",outcome="success"}')).toBe(2);
    expect([...samples.keys()].some((k) => k.includes('/users/1'))).toBe(false);
    expect(metrics.getMetrics().operations['http GET /boom'].errorsByCode).toEqual({ HTTP_500: 1 });
    // The Prometheus convention: base units, route pattern and status code as labels.
    expect(samples.get('http_request_duration_seconds_count{method="GET",route="/users/:id",status_code="200"}')).toBe(2);
    expect(samples.get('http_request_duration_seconds_count{method="GET",route="/boom",status_code="500"}')).toBe(1);
    expect(samples.get('http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}')).toBe(2);
    expect(samples.get('http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/users/:id",status_code="200"}')).toBe(2);
  });
});
