import type { FastifyBaseLogger } from 'fastify';
import { createRedisClient, type RedisEndpoint, type ResilientCacheService } from '@libs/database/cache';
import type { IMetricsCollector } from '@libs/monitoring';
import type { AccessCore } from '@libs/better-auth';
import type { AppConfig } from '../../config';
import type { UpstreamOidc } from '../../oidc/upstreamOidc';
import type { Repositories } from '@libs/better-auth';
import { watchRevocations } from './RevocationWatch';
import type { OperationRegistry } from './operations';
import type { SessionRefresher } from './SessionRefresher';
import { UpstreamTokenStore } from './UpstreamTokenStore';
import { WebSocketAuthService } from './WebSocketAuthService';

export interface Realtime {
  service: WebSocketAuthService;
  refresher: SessionRefresher | undefined;
  /** Where the app (or an embedder) adds `/ws` operations: `operations.define(name, { permission, run })`. */
  operations: OperationRegistry;
  /** Stops watching revocations and closes the lock connection (sockets are drained by the route's preClose). */
  close(): Promise<void>;
}

export interface RealtimeDependencies {
  config: AppConfig;
  /** The app's Redis (URL or Sentinel), for the refresh lock. */
  redis: RedisEndpoint | undefined;
  access: AccessCore;
  repositories: Repositories;
  cache: ResilientCacheService;
  metrics: IMetricsCollector;
  logger: FastifyBaseLogger;
  upstream: UpstreamOidc | undefined;
}

/** `/ws`'s services: the socket registry, upstream refresh (when an IdP is configured) and the revocation watch. */
export function createRealtime(deps: RealtimeDependencies): Realtime {
  const { config, repositories, metrics, logger, upstream } = deps;
  const redis = deps.redis && upstream ? createRedisClient(deps.redis, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 }) : undefined;
  redis?.on('error', () => undefined);
  const tokens = upstream ? new UpstreamTokenStore({ upstream, sessions: repositories.sessions, events: repositories.events, redis, logger, skewMs: config.WS_REFRESH_SKEW_MS }) : undefined;
  const service = new WebSocketAuthService({
    access: deps.access,
    sessions: repositories.sessions,
    metrics,
    logger,
    tokens,
    refreshGraceMs: config.WS_REFRESH_GRACE_MS,
    refreshSkewMs: config.WS_REFRESH_SKEW_MS,
    limits: {
      maxConnections: config.WS_MAX_CONNECTIONS,
      maxConnectionsPerUser: config.WS_MAX_CONNECTIONS_PER_USER,
      heartbeatMs: config.WS_HEARTBEAT_MS,
      maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
      maxOperationsPerConnection: config.WS_MAX_OPERATIONS_PER_CONNECTION,
      maxBadFrames: config.WS_MAX_BAD_FRAMES,
      maxRequestBytes: config.WS_MAX_REQUEST_BYTES,
      operationGraceMs: config.WS_OPERATION_GRACE_MS,
    },
  });
  const { refresher, operations } = service;
  const unwatch = watchRevocations(deps.cache, service, logger, metrics);
  return {
    service,
    refresher,
    operations,
    async close() {
      unwatch();
      refresher?.stop();
      redis?.disconnect();
    },
  };
}
