import { hostname } from 'node:os';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { tracingEnabled } from '@libs/monitoring';
import type { AppContext } from './context';
import { breakersWithoutReplicas, replicaHealth } from './data/replicaHealth';
import { registerReadConsistency } from './data/readConsistencyHook';
import { OutageLog, registerOutageLog } from './http/outageLog';
import { registerUnderPressure } from './http/underPressure';
import { identityPlugin } from './identity/identityPlugin';
import { ADMIN_PREFIX, adminFeature } from './features/admin/adminFeature';
import { betterAuthFeature } from './features/betterAuth/betterAuthFeature';
import { CONSOLE_PREFIX, consoleFeature } from './features/console/consoleFeature';
import { HEALTH_PREFIX, healthFeature } from './features/health/healthFeature';
import { metricsFeature } from './features/metrics/metricsFeature';
import { oidcFeature } from './features/oidc/oidcFeature';
import { REALTIME_PREFIX, realtimeFeature } from './features/realtime/realtimeFeature';
import { sessionFeature } from './features/session/sessionFeature';
import { AUTH_BASE_PATH } from './auth/createAuth';
import { registerRequestSpans } from './tracing/requestSpans';

export interface AppOptions {
  draining?: () => boolean;
}

/**
 * The app on a context (the composition root, context.ts, built the infrastructure): app-wide
 * hooks, the identity plugin, then each feature as an encapsulated Fastify plugin with its own
 * prefix and only the dependencies it uses. `main.ts` listens; tests use `inject` or port 0.
 */
export async function buildApp(app: FastifyInstance, context: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  if (tracingEnabled()) registerRequestSpans(app);
  await registerUnderPressure(app, context.config);
  await app.register(cors, {
    origin: context.trustedOrigins.length ? context.trustedOrigins : false,
    credentials: true,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
  });
  const { replicas, resilience } = context;
  registerReadConsistency(app, replicas);
  const breakers = () => breakersWithoutReplicas(resilience.breakers.list(), replicas);
  const openBreakers = () => breakers().filter((b) => b.state === 'open' || b.state === 'isolated').map((b) => b.key);
  registerOutageLog(app, new OutageLog(app.log, openBreakers));
  await app.register(identityPlugin, { access: context.access, principalLimit: context.pluginServices.principalLimit, credentialFailures: context.credentialFailures });
  await app.register(metricsFeature, { registry: context.registry, metrics: context.metrics });

  await app.register(healthFeature, {
    prefix: HEALTH_PREFIX,
    checks: {
      database: async () => {
        const health = await context.db.healthCheck(1_000);
        return { healthy: health.healthy, latencyMs: health.latencyMs, errorCode: health.errorCode, embedded: health.embedded };
      },
      cache: async () => ({ healthy: !context.cache.degraded, required: false, mode: context.cache.mode }),
      ...(replicas ? { replicas: async () => replicaHealth(replicas) } : {}),
    },
    breakers,
    draining: options.draining,
    instance: context.config.INSTANCE_ID ?? `${hostname()}:${context.config.PORT}`,
  });
  const betterAuth = { auth: context.auth, baseURL: context.baseURL };
  await app.register(sessionFeature, { ...betterAuth, sessions: context.repositories.sessions, access: context.access });
  await app.register(betterAuthFeature, { prefix: AUTH_BASE_PATH, ...betterAuth, apiKeys: context.pluginServices.apiKeys });
  await app.register(adminFeature, {
    prefix: ADMIN_PREFIX,
    dataLayer: context.dataLayer,
    repositories: context.repositories,
    csrf: { baseURL: context.baseURL, trustedOrigins: context.trustedOrigins },
    // The context's own breakers (each app context has its registry), as /health/ready lists them.
    health: { registry: context.registry, metrics: context.metrics, breakers: () => resilience.breakers.list(), replicas: () => replicas?.status() ?? [] },
  });
  await app.register(consoleFeature, { prefix: CONSOLE_PREFIX });
  if (context.upstream) await app.register(oidcFeature, { upstream: context.upstream, discovery: context.upstream.discovery, repositories: context.repositories, cache: context.cache });
  await app.register(realtimeFeature, {
    prefix: REALTIME_PREFIX,
    service: context.realtime.service,
    access: context.access,
    metrics: context.metrics,
    allowedOrigins: [...context.trustedOrigins, new URL(context.baseURL).origin],
  });
  return app;
}
