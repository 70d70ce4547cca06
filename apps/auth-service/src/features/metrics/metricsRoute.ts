import type { FastifyInstance } from 'fastify';
import { DEFAULT_LATENCY_BUCKETS, type IMetricsCollector } from '@libs/monitoring';
import { Histogram, type Registry } from 'prom-client';

export interface MetricsRouteOptions {
  registry: Registry;
  metrics: IMetricsCollector;
}

/** Prometheus' HTTP convention: base units, route pattern (never the raw URL), status code. */
export const HTTP_DURATION_METRIC = 'http_request_duration_seconds';

/** The histogram on this registry (one per registry: several servers may share one in tests). */
function httpDurationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status_code'> {
  const existing = registry.getSingleMetric(HTTP_DURATION_METRIC);
  if (existing) return existing as Histogram<'method' | 'route' | 'status_code'>;
  return new Histogram({
    name: HTTP_DURATION_METRIC,
    help: 'HTTP request duration in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [...DEFAULT_LATENCY_BUCKETS],
    registers: [registry],
  });
}

/**
 * `/metrics` for Prometheus, and HTTP latency per route recorded on every response: as
 * `http_request_duration_seconds{method,route,status_code}` (dashboards and alerts) and through the
 * collector as the operation `http GET /api/auth/*` (the admin health summary). Route is the
 * pattern, never the raw URL, so labels stay bounded; unmatched URLs share `unmatched`. 5xx answers
 * count as failures.
 */
export function registerMetricsRoute(app: FastifyInstance, { registry, metrics }: MetricsRouteOptions): void {
  const httpDuration = httpDurationHistogram(registry);
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const elapsedMs = reply.elapsedTime;
    metrics.recordOperation(`http ${request.method} ${route}`, elapsedMs, status < 500, status >= 500 ? `HTTP_${status}` : undefined);
    httpDuration.observe({ method: request.method, route, status_code: String(status) }, elapsedMs / 1000);
    done();
  });
  app.get('/metrics', async (_request, reply) => {
    void reply.header('content-type', registry.contentType).header('cache-control', 'no-store');
    return registry.metrics();
  });
}
