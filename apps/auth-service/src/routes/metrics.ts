import type { FastifyInstance } from 'fastify';
import type { IMetricsCollector } from '@libs/monitoring';
import type { Registry } from 'prom-client';

export interface MetricsRouteOptions {
  registry: Registry;
  metrics: IMetricsCollector;
}

/**
 * `/metrics` for Prometheus, and HTTP latency per route recorded on every response. The operation
 * name is the route pattern (`http GET /api/auth/*`), never the raw URL, so labels stay bounded;
 * unmatched URLs share one name. 5xx answers count as failures.
 */
export function registerMetricsRoute(app: FastifyInstance, { registry, metrics }: MetricsRouteOptions): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.recordOperation(`http ${request.method} ${route}`, reply.elapsedTime, status < 500, status >= 500 ? `HTTP_${status}` : undefined);
    done();
  });
  app.get('/metrics', async (_request, reply) => {
    void reply.header('content-type', registry.contentType).header('cache-control', 'no-store');
    return registry.metrics();
  });
}
