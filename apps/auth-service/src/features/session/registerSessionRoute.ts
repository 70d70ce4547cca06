import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ISessionRepository } from '@libs/database/postgress/repositories';
import type { AccessCore } from '@libs/better-auth';
import type { Auth } from '../../auth/createAuth';
import { readAuthContext } from '../../auth/betterAuthInternals';
import { tooManyRequests } from '../../http/tooManyRequests';
import { answerWithBetterAuth } from '../../auth/betterAuthBridge';
import { hooksMatch } from './pluginHooks';
import { lookupSession } from './lookupSession';
import { consumeRateLimit } from './rateLimitStep';
import { sessionSettings, type SessionSettings } from './sessionSettings';

export interface SessionRouteDependencies {
  auth: Auth;
  baseURL: string;
  sessions: Pick<ISessionRepository, 'touch'>;
  /** Reads the credential and the session (the one place that does). */
  access: Pick<AccessCore, 'credentials' | 'sessionByToken'>;
}

const JSON_TYPE = 'application/json';

function touch(sessions: SessionRouteDependencies['sessions'], sessionId: string, log: FastifyBaseLogger): void {
  // Activity tracking must never slow down or fail a session check.
  sessions.touch(sessionId).catch((error: unknown) => log.warn({ op: 'session.touch', code: (error as { code?: unknown })?.code }, 'could not record session activity'));
}

/**
 * `GET {basePath}/get-session` without Better-Auth's per-request router: reads the token and the
 * session through the access core (cookie or bearer, HMAC checked; the repositories' cache, a
 * user who may act — what Better-Auth's adapter sees too), and answers what Better-Auth would — the same status, JSON and
 * headers — for the common cases: no credential, a bad signature, no live session, a user who is
 * not ACTIVE, and a valid session outside its refresh window — counted in Better-Auth's own rate
 * limiter (same storage, key and rule) when it is on. Everything else (refresh window,
 * query parameters, cookie cache, "don't remember me", unusual token spellings, configurations
 * listed in `SessionSettings.unsupported`) is answered by Better-Auth itself. A repository outage
 * is thrown, so the error handler answers 503 + Retry-After.
 */
export async function registerSessionRoute(app: FastifyInstance, deps: SessionRouteDependencies): Promise<SessionSettings> {
  const settings = sessionSettings(await readAuthContext(deps.auth));
  const { sessions, access } = deps;
  if (settings.unsupported.length) app.log.warn({ reasons: settings.unsupported }, 'get-session fast path off: Better-Auth answers every request');

  const fallback = (request: FastifyRequest, reply: FastifyReply) => answerWithBetterAuth(request, reply, deps);

  const fast = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    // Query parameters (disableRefresh, disableCookieCache …) change Better-Auth's behaviour.
    if (request.url.length !== settings.path.length) return fallback(request, reply);
    // A plugin hook for this request (an API key's session, say) is Better-Auth's to run.
    if (hooksMatch(settings.requestHooks, request.headers)) return fallback(request, reply);
    const lookup = await lookupSession(await access.credentials.sessionToken(request.headers), settings, access);
    if (lookup.kind === 'defer') return fallback(request, reply);
    // Counted only now: Better-Auth counts the requests it answers itself, none twice.
    if (settings.rateLimit) {
      const retryAfter = await consumeRateLimit(settings.rateLimit, request);
      if (retryAfter !== undefined) {
        const answer = tooManyRequests(retryAfter);
        return reply.code(429).headers(answer.headers).send(answer.body);
      }
    }
    void reply.header('content-type', JSON_TYPE).header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (lookup.kind === 'null') {
      if (lookup.expireCookies) void reply.header('set-cookie', settings.expiredCookies);
      return reply.send('null');
    }
    touch(sessions, lookup.sessionId, request.log);
    return reply.send(lookup.body);
  };

  app.route({
    method: 'GET',
    url: settings.path,
    // HEAD stays with the wildcard route, as before.
    exposeHeadRoute: false,
    // The app logs every request at info; a session check is too frequent to log.
    logLevel: 'warn',
    handler: settings.unsupported.length ? fallback : fast,
  });
  return settings;
}
