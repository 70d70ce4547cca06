import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { IMetricsCollector } from '@libs/monitoring';
import type { BreakerStatus } from '@libs/utils';
import type { ReplicaStatus } from '@libs/database';
import { requirePermission } from '../../identity/fastifyGuards';
import { ADMIN_PERMISSIONS } from './adminRoutes';

/** The latency histogram the metrics collector exports (`auth_` is the app's prefix). */
export const LATENCY_METRIC = 'auth_operation_duration_seconds';

export interface RouteSummary {
  /** `GET /api/admin/users` — the route pattern, as recorded by the metrics hook. */
  route: string;
  count: number;
  errors: number;
  errorRate: number;
  /** Estimated from the histogram buckets (linear within a bucket), milliseconds; null without calls. */
  p50Ms: number | null;
  p99Ms: number | null;
}

interface Buckets {
  /** Cumulative counts per upper bound (seconds), ascending. */
  bounds: Map<number, number>;
  count: number;
}

/** `histogram_quantile` over cumulative buckets, in milliseconds. */
export function quantileMs(q: number, buckets: Buckets): number | null {
  if (buckets.count === 0) return null;
  const rank = q * buckets.count;
  let previousBound = 0;
  let previousCount = 0;
  for (const [bound, cumulative] of [...buckets.bounds].sort(([a], [b]) => a - b)) {
    if (cumulative >= rank) {
      if (!Number.isFinite(bound)) return previousBound * 1000;
      const inBucket = cumulative - previousCount;
      const fraction = inBucket > 0 ? (rank - previousCount) / inBucket : 1;
      return Math.round((previousBound + (bound - previousBound) * fraction) * 1000 * 100) / 100;
    }
    previousBound = bound;
    previousCount = cumulative;
  }
  return previousBound * 1000;
}

/** Per-route figures from what the app already records: the histogram and the collector's counts. */
export async function summariseRoutes(registry: Registry, metrics: IMetricsCollector): Promise<RouteSummary[]> {
  const histogram = (await registry.getMetricsAsJSON()).find((m) => m.name === LATENCY_METRIC);
  const byRoute = new Map<string, Buckets>();
  for (const value of histogram?.values ?? []) {
    const { metricName, labels } = value as { metricName?: string; labels: Record<string, string | number> };
    const operation = String(labels['operation'] ?? '');
    if (!operation.startsWith('http ') || !metricName?.endsWith('_bucket')) continue;
    const route = operation.slice('http '.length);
    const buckets = byRoute.get(route) ?? { bounds: new Map<number, number>(), count: 0 };
    const le = labels['le'] === '+Inf' ? Infinity : Number(labels['le']);
    buckets.bounds.set(le, (buckets.bounds.get(le) ?? 0) + value.value);
    if (le === Infinity) buckets.count += value.value;
    byRoute.set(route, buckets);
  }
  const operations = metrics.getMetrics().operations;
  return [...byRoute]
    .map(([route, buckets]) => {
      const recorded = operations[`http ${route}`];
      const count = recorded?.operationCount ?? buckets.count;
      const errors = recorded?.errorCount ?? 0;
      return { route, count, errors, errorRate: count ? errors / count : 0, p50Ms: quantileMs(0.5, buckets), p99Ms: quantileMs(0.99, buckets) };
    })
    .sort((a, b) => b.count - a.count || a.route.localeCompare(b.route));
}

/**
 * `GET /api/admin/health/summary` (`metrics:read`): breaker states, overall error rate and per-route
 * p50 / p99 / error rate, summarised from the app's own metrics for the console's health page.
 */
export interface AdminHealthSummaryOptions {
  registry: Registry;
  metrics: IMetricsCollector;
  breakers: () => BreakerStatus[];
  /** Read replicas' state and lag (none without DATABASE_REPLICA_URLS). */
  replicas?: () => ReplicaStatus[];
}

export function registerAdminHealthSummary(app: FastifyInstance, options: AdminHealthSummaryOptions): void {
  app.get('/health/summary', { preHandler: requirePermission(ADMIN_PERMISSIONS.readMetrics) }, async (_request, reply) => {
    const routes = await summariseRoutes(options.registry, options.metrics);
    const total = routes.reduce((sum, r) => sum + r.count, 0);
    const errors = routes.reduce((sum, r) => sum + r.errors, 0);
    void reply.header('cache-control', 'no-store');
    return { breakers: options.breakers(), replicas: options.replicas?.() ?? [], errorRate: total ? errors / total : 0, requests: total, routes, at: new Date().toISOString() };
  });
}
