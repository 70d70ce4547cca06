import type { FastifyPluginAsync } from 'fastify';
import { registerWebSocketRoute, type WebSocketRouteDependencies } from './registerWebSocketRoute';

/** Where real-time connections are upgraded. */
export const REALTIME_PREFIX = '/ws';

/**
 * `/ws`: authenticated WebSocket upgrades and the sockets' life (revocation, refresh, limits).
 * `@fastify/websocket` is registered in this scope only: no other route can upgrade.
 */
export const realtimeFeature: FastifyPluginAsync<WebSocketRouteDependencies> = async (app, options) => {
  await registerWebSocketRoute(app, options);
};
