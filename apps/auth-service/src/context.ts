import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import { MetricsCollector } from '@libs/monitoring';
import { appMetricsRegistry } from './metrics/processMetrics';
import { baseUrlOf, trustedOriginsOf } from './http/origins';
import { bridgedClientAddress } from './http/webBridge';
import { createDatabaseClient, createReplicaRouter, redactUrl, SERVING_TABLES_HEALTH_CHECK_SQL, type ReplicaRouter } from '@libs/database';
import { ResilienceRegistry } from '@libs/utils';
import type { DatabaseClient } from '@libs/database/types';
import { DEFAULT_PG_BUS_CHANNEL, describeRedisEndpoint, ResilientCacheService } from '@libs/database/cache';
import { SECURITY_CACHE_TAGS, type RepositoryDependencies } from '@libs/database/postgress/repositories';
import { platformAdapterOptions } from '@libs/better-auth';
import { cookieOptions, createAuth, SESSION_EXPIRES_IN_S, type Auth } from './auth/createAuth';
import type { AccessCore } from '@libs/better-auth';
import { createAccessCore } from '@libs/better-auth';
import type { AppConfig } from './config';
import { redisEndpointOf } from './redisConfig';
import { BackgroundTasks } from './backgroundTasks';
import { resolveAuthSecret } from './devSecret';
import { RateLimiter } from '@libs/better-auth';
import { CredentialFailureGuard } from './identity/credentialFailures';
import { principalLimitsOf } from '@libs/better-auth';
import { createPluginServices, type PluginServices } from '@libs/better-auth';
import { AuthDataLayer } from './data/AuthDataLayer';
import { DeferredDatabaseClient } from './data/DeferredDatabaseClient';
import { registerReplicaMetrics } from './data/replicaMetrics';
import type { Closer } from './lifecycle';
import { createRepositories, type Repositories } from '@libs/better-auth';
import { upstreamOidcOf, type UpstreamOidc } from './oidc/upstreamOidc';
import { createRealtime, type Realtime } from './features/realtime/createRealtime';
import { invalidationLagHistogram } from './metrics/invalidationLag';
import { startMetricsSnapshot } from './metrics/metricsSnapshot';
import { mailFromOf } from './mail/mailConfig';
import { mailerOf, type Mailer } from './mail/transport';

export type { Repositories } from '@libs/better-auth';

/** Shutdown waits this long for audit writes in flight (a database outage must not hold it up). */
const BACKGROUND_DRAIN_MS = 2_000;

/** Everything a request handler may use, built once at start-up and closed in order at shutdown. */
export interface AppContext {
  config: AppConfig;
  db: DatabaseClient;
  /** Read replicas (DATABASE_REPLICA_URLS): lag-tolerant reads, lag checks, read-your-writes. */
  replicas: ReplicaRouter | undefined;
  registry: Registry;
  /** This context's breakers, retry budgets and connection states: never shared with another context. */
  resilience: ResilienceRegistry;
  metrics: MetricsCollector;
  cache: ResilientCacheService;
  repositories: Repositories;
  auth: Auth;
  baseURL: string;
  /** Origins trusted besides the base URL's own, by every check (http/origins.ts). */
  trustedOrigins: string[];
  /** The seed's data layer over the repositories (admin routes, key validation). */
  dataLayer: AuthDataLayer;
  /** API-key verifier and the shared rate limiter of the plugins. */
  pluginServices: PluginServices;
  /** Who is calling and what they may do: the one place that decides. */
  access: AccessCore;
  /** The upstream IdP (OIDC_ISSUER), when configured. */
  upstream: UpstreamOidc | undefined;
  /** `/ws`: live sockets, upstream refresh, revocation watch. */
  realtime: Realtime;
  /** Per-address limit on failed credential lookups (CREDENTIAL_FAILURE_LIMIT); undefined when off. */
  credentialFailures: CredentialFailureGuard | undefined;
  /** Audit writes in flight (events, last-login stamps) and mail deliveries; drained at shutdown. */
  background: BackgroundTasks;
  /** Password-reset and verification mail: SMTP_URL, or the log in development and test. */
  mailer: Mailer;
  /** In shutdown order: buffered API-key usage, cache connections, database (and embedded Postgres). */
  closers: Closer[];
}

export async function createAppContext(config: AppConfig, logger: FastifyBaseLogger): Promise<AppContext> {
  const registry = appMetricsRegistry(config);
  const metrics = new MetricsCollector({ registry, prefix: 'auth_', logger });
  // Never waits for Postgres: the server starts (live, not ready) and serves once it answers.
  const db = new DeferredDatabaseClient({
    open: () =>
      createDatabaseClient({
        url: config.DATABASE_URL,
        logger,
        embedded: { dataDir: join(config.DATA_DIR, 'postgres') },
        poolMax: config.DATABASE_POOL_MAX,
        connectionTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
        statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
        lockTimeoutMs: config.DATABASE_LOCK_TIMEOUT_MS,
        // Readiness and breaker recovery fail while the user or session table is locked.
        healthCheckSql: SERVING_TABLES_HEALTH_CHECK_SQL,
      }),
    redactedUrl: config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : 'embedded',
    embedded: !config.DATABASE_URL,
    logger,
  });
  await db.firstAttempt;
  logger.info({ database: db.redactedUrl, embedded: db.embedded }, db.embedded ? 'database: embedded Postgres' : 'database: external Postgres');
  const resilience = new ResilienceRegistry();
  const redis = redisEndpointOf(config);
  const cache = new ResilientCacheService({
    redis,
    metrics,
    logger,
    retry: { registry: resilience },
    invalidationLag: invalidationLagHistogram(registry),
    memory: { maxEntries: config.CACHE_L1_MAX_ENTRIES, maxBytes: config.CACHE_L1_MAX_BYTES },
    // Revocation also over Postgres LISTEN/NOTIFY (works while Redis is down); embedded Postgres is one instance.
    postgresBus: config.DATABASE_URL ? { connectionString: config.DATABASE_URL } : undefined,
    securityTags: SECURITY_CACHE_TAGS,
  });
  logger.info({ mode: cache.mode, redis: redis ? describeRedisEndpoint(redis) : undefined }, redis ? 'cache: memory L1 + Redis L2' : 'cache: memory only (no REDIS_URL or REDIS_SENTINELS)');

  const replicas = config.DATABASE_REPLICA_URLS.length
    ? createReplicaRouter({
        primary: db,
        urls: config.DATABASE_REPLICA_URLS,
        maxLagMs: config.DATABASE_REPLICA_MAX_LAG_MS,
        lagCheckMs: config.DATABASE_REPLICA_LAG_CHECK_MS,
        readYourWritesMs: config.DATABASE_READ_YOUR_WRITES_MS,
        // The primary's statement and lock bounds; the shorter connect timeout is the router's default.
        pool: { poolMax: config.DATABASE_POOL_MAX, statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS, lockTimeoutMs: config.DATABASE_LOCK_TIMEOUT_MS, applicationName: 'libs-database-replica' },
        resilience,
        metrics,
        logger,
      })
    : undefined;
  if (replicas) logger.info({ replicas: replicas.status().map((r) => r.url), maxLagMs: replicas.maxLagMs }, 'database: lag-tolerant reads on replicas');
  registerReplicaMetrics(registry, replicas);

  const deps: RepositoryDependencies = { db, metrics, cache, logger, resilience, replicas, notifyChannel: config.DATABASE_URL ? DEFAULT_PG_BUS_CHANNEL : undefined };
  // Built before the repositories, which report unknown credentials to the guard.
  const rateLimiter = new RateLimiter({ redis, prefix: 'auth:ratelimit:', metrics, logger, registry: resilience });
  const failureLimit = config.CREDENTIAL_FAILURE_LIMIT ?? (config.AUTH_RATE_LIMIT === 'on' ? 100 : 0);
  const credentialFailures = failureLimit > 0 ? new CredentialFailureGuard(rateLimiter, { max: failureLimit, windowMs: config.CREDENTIAL_FAILURE_WINDOW_MS }) : undefined;
  const repositories = createRepositories(deps, {
    apiKeys: { usageFlushIntervalMs: config.API_KEY_USAGE_FLUSH_MS },
    ...(credentialFailures ? { onUnknownCredential: () => credentialFailures.markFailed() } : {}),
  });
  const baseURL = baseUrlOf(config);
  const trustedOrigins = trustedOriginsOf(config);
  const background = new BackgroundTasks(logger);
  const secret = resolveAuthSecret(config);
  // The cookie names follow from the same options Better-Auth gets (see createAuth).
  const dataLayer = new AuthDataLayer(repositories, metrics, logger, resilience);
  const access = createAccessCore(repositories, {
    secret,
    background,
    rateLimiter,
    findApiKey: (key) => dataLayer.findApiKeyWithRetry(key),
    cookies: { baseURL, advanced: cookieOptions(config), session: { expiresIn: SESSION_EXPIRES_IN_S } },
  });
  const pluginServices = createPluginServices({
    repositories,
    rateLimiter,
    access,
    principalLimits: config.AUTH_RATE_LIMIT === 'on' ? principalLimitsOf(config) : null,
    // The plugin endpoints count the address the Fastify routes count (http/clientAddress.ts, via the bridge).
    clientAddress: bridgedClientAddress,
  });
  const adapter = platformAdapterOptions(repositories, access);
  const upstream = upstreamOidcOf(config, secret);
  const mailer = mailerOf(config, mailFromOf(config, baseURL), logger);
  const auth = createAuth({
    mailer,
    background,
    config,
    secret,
    baseURL,
    trustedOrigins,
    logger,
    pluginServices,
    upstream,
    adapterRepositories: adapter.repositories,
    transaction: adapter.transaction,
  });
  const realtime = createRealtime({ config, redis, access, repositories, cache, metrics, logger, upstream });
  const snapshot = startMetricsSnapshot(metrics, logger, config.METRICS_SNAPSHOT_INTERVAL_MS);
  return {
    config,
    db,
    replicas,
    registry,
    resilience,
    metrics,
    cache,
    repositories,
    auth,
    baseURL,
    trustedOrigins,
    background,
    mailer,
    credentialFailures,
    dataLayer,
    pluginServices,
    access,
    upstream,
    realtime,
    closers: [
      ...(snapshot ? [snapshot] : []),
      { name: 'realtime', close: () => realtime.close() },
      { name: 'background tasks', close: () => background.drain(BACKGROUND_DRAIN_MS) },
      { name: 'mail', close: () => mailer.close() },
      { name: 'api key usage', close: () => repositories.apiKeys.flushUsage().then(() => undefined) },
      { name: 'rate limiter', close: () => rateLimiter.close() },
      { name: 'cache', close: () => cache.close() },
      { name: 'replicas', close: async () => replicas?.close() },
      { name: 'database', close: () => db.disconnect() },
      { name: 'resilience', close: async () => resilience.close() },
    ],
  };
}
