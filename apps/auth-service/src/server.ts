import Fastify, { type FastifyInstance } from 'fastify';
import { hostname } from 'node:os';
import cors from '@fastify/cors';
import type { AppConfig } from './config';
import type { AppContext } from './context';
import { registerErrorHandling } from './http/errorHandler';
import { registerBoundedJsonParser } from './http/jsonDepth';
import { registerUnderPressure } from './http/underPressure';
import { OutageLog, registerOutageLog } from './http/outageLog';
import { registerPluginRoutes } from './plugins/routes';
import { registerAdminConsole } from './console/registerAdminConsole';
import { registerAdminRoutes } from './routes/admin';
import { registerAuthRoutes } from './routes/auth';
import { registerHealthRoutes } from './routes/health';
import { registerReadConsistency } from './data/readConsistencyHook';
import { breakersWithoutReplicas, replicaHealth } from './data/replicaHealth';
import { registerMetricsRoute } from './routes/metrics';
import { registerSessionRoute } from './session/registerSessionRoute';
import { registerBackchannelLogout } from './oidc/backchannelLogoutRoute';
import { registerWebSocketRoute } from './ws/registerWebSocketRoute';
import { fastifyTrustProxy, type ProxyTrust } from './http/clientAddress';
import { registerCookieCsrf } from './http/cookieCsrf';
import { LOG_SERIALIZERS } from './http/logRedaction';
import { tracingEnabled } from '@libs/monitoring';
import { registerRequestSpans } from './tracing/requestSpans';

/** Headers and body fields that must never reach a log line (query values: http/logRedaction.ts). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.idToken',
  '*.key',
];

/** 64 KiB: sign-up and API-key bodies are small; anything larger is junk (docs/input-limits.md). */
export const BODY_LIMIT_BYTES = 64 * 1024;

export function createFastify(config: AppConfig, options: { stream?: NodeJS.WritableStream } = {}): FastifyInstance {
  const app = Fastify({
    logger: { level: config.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: LOG_SERIALIZERS, ...(options.stream ? { stream: options.stream } : {}) },
    bodyLimit: BODY_LIMIT_BYTES,
    // TRUST_PROXY (http/clientAddress.ts): request.ip follows the same trust rule; decisions use clientAddress().
    trustProxy: fastifyTrustProxy(config.TRUST_PROXY),
  });
  app.decorate<ProxyTrust>('proxyTrust', config.TRUST_PROXY ?? { kind: 'off' });
  registerErrorHandling(app);
  registerBoundedJsonParser(app);
  return app;
}

export interface ServerOptions {
  draining?: () => boolean;
}

/** Builds the app on a context; `main.ts` listens, tests use `inject` or listen on port 0. */
export async function buildServer(app: FastifyInstance, context: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  if (tracingEnabled()) registerRequestSpans(app);
  await registerUnderPressure(app, context.config);
  await app.register(cors, {
    origin: context.trustedOrigins.length ? context.trustedOrigins : false,
    credentials: true,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
  });
  // Before any route: every cookie-carrying write outside /api/auth/* (see http/cookieCsrf.ts).
  registerCookieCsrf(app, { baseURL: context.baseURL, trustedOrigins: context.trustedOrigins });
  // Before every route: an address past its limit of unknown credentials is refused up front.
  context.credentialFailures?.register(app);
  const replicas = context.replicas;
  registerReadConsistency(app, replicas);
  const breakers = () => breakersWithoutReplicas(context.resilience.breakers.list(), context.replicas);
  const openBreakers = () => breakers().filter((b) => b.state === 'open' || b.state === 'isolated').map((b) => b.key);
  registerOutageLog(app, new OutageLog(app.log, openBreakers));
  registerMetricsRoute(app, { registry: context.registry, metrics: context.metrics });
  registerHealthRoutes(app, {
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
  registerAuthRoutes(app, { auth: context.auth, baseURL: context.baseURL });
  registerPluginRoutes(app, context);
  registerAdminRoutes(app, context.dataLayer, context.repositories);
  if (context.upstream) registerBackchannelLogout(app, { upstream: context.upstream, discovery: context.upstream.discovery, repositories: context.repositories, cache: context.cache });
  await registerWebSocketRoute(app, {
    service: context.realtime.service,
    access: context.access,
    metrics: context.metrics,
    allowedOrigins: [...context.trustedOrigins, new URL(context.baseURL).origin],
  });
  registerAdminConsole(app, context);
  await registerSessionRoute(app, { auth: context.auth, baseURL: context.baseURL, sessions: context.repositories.sessions, access: context.access });
  return app;
}
