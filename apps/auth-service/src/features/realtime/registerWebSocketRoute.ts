import type { ServerResponse } from 'node:http';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { permissionRefusal, type AccessCore } from '@libs/better-auth';
import { sendRefusal } from '../../identity/fastifyGuards';
import type { Principal } from '@libs/better-auth';
import type { IMetricsCollector } from '@libs/monitoring';
import { WS_CONNECT_PERMISSION } from './protocol';
import { upgradeReleaser } from './releaseUpgrade';
import type { SocketCredential } from './credentialCheck';
import type { WebSocketAuthService } from './WebSocketAuthService';

export interface WebSocketRouteDependencies {
  service: WebSocketAuthService;
  access: AccessCore;
  metrics: IMetricsCollector;
  /** TRUSTED_ORIGINS plus the service's own origin. */
  allowedOrigins: string[];
}

const upgrades = new WeakMap<FastifyRequest, { principal: Principal; credential: SocketCredential | null; response: ServerResponse }>();

/**
 * `GET /ws`: the upgrade is authenticated by the access core before any socket exists (cookie,
 * bearer or `x-api-key`); a refusal is an ordinary HTTP answer (401 / 403 / 429 / 503) with the
 * app's JSON error body, and the upgrade never happens.
 */
export async function registerWebSocketRoute(app: FastifyInstance, deps: WebSocketRouteDependencies): Promise<void> {
  const { service, access, metrics } = deps;
  const origins = new Set(deps.allowedOrigins);
  const release = upgradeReleaser(app.log);
  await app.register(websocket, {
    // Frames past this close the socket (1009); up to it, a request larger than WS_MAX_REQUEST_BYTES is answered REQUEST_TOO_LARGE.
    options: { maxPayload: 64 * 1024 },
    preClose: async function closeSockets(this: FastifyInstance) {
      await service.drain();
      this.websocketServer.close();
    },
  });

  const refuse = (reply: FastifyReply, reason: string, status: number, code: string, message: string) => {
    metrics.incrementEvent(`ws.upgrade_refused.${reason}`);
    return reply.code(status).send({ error: { code, message } });
  };

  app.get(
    '/',
    {
      websocket: true,
      // `/ws` only (the feature's prefix), not `/ws/` too.
      prefixTrailingSlash: 'no-slash',
      preValidation: async (request, reply) => {
        const origin = request.headers.origin;
        // Browsers always send Origin on a WebSocket handshake; other clients may omit it.
        if (origin !== undefined && !origins.has(origin)) return refuse(reply, 'origin', 403, 'FORBIDDEN_ORIGIN', 'This origin may not open a connection.');
        const outcome = await access.authenticate(request.headers);
        if (!outcome.ok) {
          metrics.incrementEvent(`ws.upgrade_refused.${outcome.refusal.status === 401 ? 'unauthenticated' : 'forbidden'}`);
          return sendRefusal(reply, outcome.refusal);
        }
        const { principal } = outcome;
        if (principal.apiKey) {
          const decision = await access.authorize(principal, WS_CONNECT_PERMISSION);
          if (!decision.granted) return refuse(reply, 'scope', 403, decision.code, permissionRefusal(decision).message);
        }
        const cap = service.capRefusal(principal.user.id);
        if (cap) {
          if (cap.status === 503) void reply.header('retry-after', '5');
          return refuse(reply, 'cap', cap.status, cap.code, cap.message);
        }
        upgrades.set(request, { principal, credential: await socketCredential(access, principal, request), response: reply.raw });
      },
    },
    (socket, request) => {
      const upgrade = upgrades.get(request);
      upgrades.delete(request);
      release(socket, request, upgrade?.response);
      if (!upgrade) {
        socket.close(1008, 'unauthenticated');
        return;
      }
      service.attach(socket, upgrade.principal, upgrade.credential);
    },
  );
}

/** What the socket is re-checked with later: the key or session token the upgrade presented. */
async function socketCredential(access: AccessCore, principal: Principal, request: FastifyRequest): Promise<SocketCredential | null> {
  if (principal.apiKey) {
    const key = access.credentials.apiKey(request.headers);
    return key ? { kind: 'apiKey', key } : null;
  }
  const credential = await access.credentials.sessionToken(request.headers);
  return credential.kind === 'token' ? { kind: 'session', token: credential.token } : null;
}
