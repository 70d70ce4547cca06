import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionRepository, UserRepository } from '@libs/database/postgress/repositories';
import type { Auth } from '../auth/createAuth';
import { answerWithBetterAuth } from '../routes/auth';
import { hooksMatch } from './pluginHooks';
import { readSessionToken } from './readSessionToken';
import { sessionBody } from './sessionBody';
import { sessionSettings, type AuthContextLike, type SessionSettings, type SessionSettingsOptions } from './sessionSettings';

export interface SessionRouteDependencies extends SessionSettingsOptions {
  auth: Auth;
  baseURL: string;
  sessions: Pick<SessionRepository, 'findActiveByToken' | 'touch'>;
  users: Pick<UserRepository, 'findById'>;
}

/** Statuses whose sessions work; BANNED, INACTIVE, DELETED and PENDING users get `null`. */
const ACTIVE_STATUS = 'ACTIVE';

const JSON_TYPE = 'application/json';

function sendNull(reply: FastifyReply, expiredCookies?: string[]): FastifyReply {
  void reply.header('content-type', JSON_TYPE).header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (expiredCookies) void reply.header('set-cookie', expiredCookies);
  return reply.send('null');
}

function touch(sessions: SessionRouteDependencies['sessions'], sessionId: string, log: FastifyBaseLogger): void {
  // Activity tracking must never slow down or fail a session check.
  sessions.touch(sessionId).catch((error: unknown) => log.warn({ op: 'session.touch', code: (error as { code?: unknown })?.code }, 'could not record session activity'));
}

/**
 * `GET {basePath}/get-session` without Better-Auth's per-request router: reads the token as
 * Better-Auth does (cookie or bearer, HMAC checked), looks the session and the user up through
 * the cached repositories, and answers what Better-Auth would — the same status, JSON and
 * headers — for the common cases: no credential, a bad signature, no live session, a user who is
 * not ACTIVE, and a valid session outside its refresh window. Everything else (refresh window,
 * query parameters, cookie cache, "don't remember me", unusual token spellings, configurations
 * listed in `SessionSettings.unsupported`) is answered by Better-Auth itself. A repository outage
 * is thrown, so the error handler answers 503 + Retry-After.
 */
export async function registerSessionRoute(app: FastifyInstance, deps: SessionRouteDependencies): Promise<SessionSettings> {
  const settings = sessionSettings((await deps.auth.$context) as unknown as AuthContextLike, deps);
  const { sessions, users } = deps;
  if (settings.unsupported.length) app.log.warn({ reasons: settings.unsupported }, 'get-session fast path off: Better-Auth answers every request');

  const fallback = (request: FastifyRequest, reply: FastifyReply) => answerWithBetterAuth(request, reply, deps);

  const fast = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    // Query parameters (disableRefresh, disableCookieCache …) change Better-Auth's behaviour.
    if (request.url.length !== settings.path.length) return fallback(request, reply);
    // A plugin hook for this request (an API key's session, say) is Better-Auth's to run.
    if (hooksMatch(settings.requestHooks, request.headers)) return fallback(request, reply);
    const credential = readSessionToken(request.headers, settings);
    if (credential.kind === 'defer') return fallback(request, reply);
    if (credential.kind === 'none') return sendNull(reply);

    const session = await sessions.findActiveByToken(credential.token);
    if (!session) return sendNull(reply, settings.expiredCookies);
    // Inside the refresh window Better-Auth extends the session and re-sets the cookie.
    if (session.expiresAt.getTime() - settings.expiresInMs + settings.updateAgeMs <= Date.now()) return fallback(request, reply);
    const user = await users.findById(session.userId);
    if (!user || user.status !== ACTIVE_STATUS || user.isDeleted) return sendNull(reply, settings.expiredCookies);

    touch(sessions, session.id, request.log);
    void reply.header('content-type', JSON_TYPE).header('cache-control', 'no-store').header('pragma', 'no-cache');
    return reply.send(sessionBody(session, user, settings.sessionFields, settings.userFields));
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
