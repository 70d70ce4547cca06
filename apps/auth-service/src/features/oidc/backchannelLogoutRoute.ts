import type { FastifyInstance } from 'fastify';
import type { ICache } from '@libs/database/cache';
import type { UserSession } from '@libs/database/models';
import type { Repositories } from '@libs/better-auth';
import { IdpDiscovery, IdpUnavailableError } from '../../oidc/discovery';
import { InvalidLogoutTokenError, verifyLogoutToken } from '../../oidc/logoutToken';
import type { UpstreamOidc } from '../../oidc/upstreamOidc';

export const BACKCHANNEL_LOGOUT_PATH = '/api/oidc/backchannel-logout';

export interface BackchannelLogoutDependencies {
  upstream: UpstreamOidc;
  discovery: IdpDiscovery;
  repositories: Pick<Repositories, 'sessions' | 'accounts' | 'events'>;
  /** Remembers each logout token's `jti` until its `exp` (shared through Redis): a replay is refused. */
  cache: Pick<ICache, 'increment'>;
}

/** How long a logout token's `jti` is remembered when it carries no `exp`: the verifier's maximum `iat` age. */
const LOGOUT_TOKEN_MAX_AGE_S = 300;

/**
 * True the first time this `jti` is seen (on any instance sharing the Redis L2), false for a
 * replay. Kept until the token's `exp` (at least the maximum `iat` age), after which the
 * verifier refuses the token anyway.
 */
export async function firstUseOfLogoutToken(cache: Pick<ICache, 'increment'>, claims: { jti: string; exp?: number }, nowMs = Date.now()): Promise<boolean> {
  const untilMs = Math.max(claims.exp ? claims.exp * 1000 : 0, nowMs + LOGOUT_TOKEN_MAX_AGE_S * 1000);
  return (await cache.increment(`oidc:logout-jti:${claims.jti}`, Math.max(1_000, untilMs - nowMs))) === 1;
}

/**
 * Ends the app sessions of an IdP session (`sid`) or, with `sub` only, every session of the
 * IdP's user, each with a `backchannel_logout` UserEvent. Sockets close through the session
 * invalidation every instance sees (see ws/RevocationWatch).
 */
export async function endUpstreamSessions(deps: BackchannelLogoutDependencies, claims: { sid?: string; sub?: string }): Promise<UserSession[]> {
  const { sessions, accounts, events } = deps.repositories;
  let ended: UserSession[] = [];
  if (claims.sid) {
    const found = await sessions.findActiveByKeycloakSessionId(claims.sid);
    ended = await Promise.all(found.map((s) => sessions.end(s.id, { reason: 'backchannel_logout', by: 'idp' })));
  } else if (claims.sub) {
    const account = await accounts.findByProvider(deps.upstream.providerId, claims.sub);
    if (account) {
      ended = await sessions.findActiveByUser(account.userId);
      await sessions.endAllForUser(account.userId, { reason: 'backchannel_logout', by: 'idp' });
    }
  }
  for (const s of ended) await events.append({ userId: s.userId, sessionId: s.id, eventType: 'backchannel_logout', metadata: { bySid: Boolean(claims.sid) } });
  return ended;
}

/** `POST /api/oidc/backchannel-logout` (OIDC Back-Channel Logout 1.0): form body `logout_token`. */
export function registerBackchannelLogout(app: FastifyInstance, deps: BackchannelLogoutDependencies): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    // Authenticated by the signed logout token in the body, never by a cookie.
    scope.post(BACKCHANNEL_LOGOUT_PATH, { config: { csrf: false } }, async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const token = (request.body as Record<string, unknown> | undefined)?.logout_token;
      if (typeof token !== 'string' || token.length === 0 || token.length > 8_192) {
        return reply.code(400).send({ error: { code: 'INVALID_REQUEST', message: 'logout_token is required' } });
      }
      try {
        const claims = await verifyLogoutToken(token, deps.discovery, deps.upstream.clientId, LOGOUT_TOKEN_MAX_AGE_S);
        if (!(await firstUseOfLogoutToken(deps.cache, claims))) {
          request.log.warn({ component: 'oidc' }, 'back-channel logout token replayed');
          return reply.code(400).send({ error: { code: 'LOGOUT_TOKEN_REPLAYED', message: 'This logout token was already used.' } });
        }
        const ended = await endUpstreamSessions(deps, claims);
        request.log.info({ component: 'oidc', ended: ended.length, bySid: Boolean(claims.sid) }, 'back-channel logout');
        return reply.code(200).send();
      } catch (error) {
        if (error instanceof InvalidLogoutTokenError) return reply.code(400).send({ error: { code: error.code, message: error.message } });
        if (error instanceof IdpUnavailableError) {
          return reply.code(503).header('retry-after', '5').send({ error: { code: 'IDP_UNAVAILABLE', message: 'The identity provider could not be reached. Please try again later.' } });
        }
        throw error;
      }
    });
  });
}
