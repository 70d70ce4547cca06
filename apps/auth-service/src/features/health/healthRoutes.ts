import type { FastifyInstance } from 'fastify';

export interface DependencyStatus {
  healthy: boolean;
  latencyMs?: number;
  /** Stable code of the failure; never a message that could carry data. */
  errorCode?: string;
  /** Whether readiness depends on it; a degraded optional dependency (Redis) keeps the service ready. */
  required?: boolean;
  [detail: string]: unknown;
}

export interface BreakerStatus {
  key: string;
  state: 'closed' | 'open' | 'half-open' | 'isolated';
}

export interface HealthOptions {
  /** Named dependency checks; each must resolve (never throw) within its own timeout. */
  checks: Record<string, () => Promise<DependencyStatus>>;
  /** Current circuit breakers. */
  breakers?: () => BreakerStatus[];
  /** Whether the server is draining (SIGTERM received): readiness fails so traffic moves away. */
  draining?: () => boolean;
  /** Names this instance in both answers, so a caller behind a load balancer sees which one answered. */
  instance?: string;
}

/**
 * `/health/live`: the process answers. `/health/ready`: every required dependency answers and no
 * breaker is open; otherwise 503 with Retry-After so load balancers and clients back off.
 */
export function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): void {
  const instance = options.instance === undefined ? {} : { instance: options.instance };
  app.get('/live', async () => ({ status: 'ok', ...instance }));
  app.get('/ready', async (_request, reply) => {
    const entries = await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        try {
          return [name, await check()] as const;
        } catch {
          return [name, { healthy: false, errorCode: 'CHECK_FAILED' } as DependencyStatus] as const;
        }
      }),
    );
    const dependencies = Object.fromEntries(entries);
    const breakers = options.breakers?.() ?? [];
    const openBreakers = breakers.filter((b) => b.state === 'open' || b.state === 'isolated').map((b) => b.key);
    const draining = options.draining?.() ?? false;
    const ready =
      !draining && openBreakers.length === 0 && entries.every(([, status]) => status.healthy || status.required === false);
    if (!ready) void reply.status(503).header('retry-after', '1');
    return { status: ready ? 'ready' : draining ? 'draining' : 'unavailable', ...instance, dependencies, openBreakers };
  });
}
