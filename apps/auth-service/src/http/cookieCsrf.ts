import type { FastifyInstance, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes Better-Auth serves (its own origin check) and our lean routes beside them that read no cookie for a write. */
const BETTER_AUTH_PREFIX = '/api/auth/';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `false`: this unsafe route does not authenticate by cookie (its caller proves itself in the
     * body, e.g. a signed logout token), so the cookie CSRF check does not apply. @default true
     */
    csrf?: boolean;
  }
}

export interface CookieCsrfOptions {
  /** The app's own origin (`BETTER_AUTH_URL` or `http://HOST:PORT`). */
  baseURL: string;
  /** `TRUSTED_ORIGINS`: other origins allowed to write with the cookie. */
  trustedOrigins: readonly string[];
}

/**
 * Why a cookie-carrying write is refused, or null when it may proceed. It passes with an allowed
 * `Origin`, or without `Origin` with `Sec-Fetch-Site: same-origin`; anything else — a foreign or
 * `null` Origin, a cross-site or same-site fetch, or neither header — is refused.
 */
export function crossSiteRefusal(request: Pick<FastifyRequest, 'method' | 'headers'>, allowed: ReadonlySet<string>): string | null {
  if (SAFE_METHODS.has(request.method) || request.headers.cookie === undefined) return null;
  const origin = request.headers.origin;
  if (origin !== undefined) return allowed.has(origin) ? null : `Origin ${origin === 'null' ? 'null' : 'of another site'} may not write with the session cookie`;
  // Every current browser sends Origin on a write; Fetch Metadata vouches for one that does not.
  if (request.headers['sec-fetch-site'] === 'same-origin') return null;
  return 'A write with the session cookie must carry the Origin header (or Sec-Fetch-Site: same-origin)';
}

/** Whether a route takes cookie-authenticated writes we must check ourselves. */
function guarded(route: Pick<RouteOptions, 'url' | 'config'>): boolean {
  if (route.url.startsWith(BETTER_AUTH_PREFIX)) return false;
  return (route.config as { csrf?: boolean } | undefined)?.csrf !== false;
}

/**
 * CSRF protection of every cookie-authenticated write outside Better-Auth (whose origin check
 * covers `/api/auth/*`): the admin API, the session admin routes, anything registered later. The
 * decision is made per route when the route is registered (its pattern, never the raw URL), so
 * `%61dmin`, `%2F` in a parameter or any other spelling that reaches a route is checked like the
 * plain one; a URL that matches no route is answered 404 and writes nothing. Only the guarded
 * routes carry the hook: get-session, key verify and Better-Auth's routes pay nothing for it.
 * Refused: 403 `CSRF_ORIGIN` before authentication runs. Callers without cookies (bearer token,
 * `x-api-key`) cannot be forged by a browser and are unaffected. Call before the routes.
 */
export function registerCookieCsrf(app: FastifyInstance, options: CookieCsrfOptions): void {
  const allowed = new Set([new URL(options.baseURL).origin, ...options.trustedOrigins.map((o) => new URL(o).origin)]);
  const check: onRequestHookHandler = (request, reply, done) => {
    const refusal = crossSiteRefusal(request, allowed);
    if (refusal) return void reply.code(403).send({ error: { code: 'CSRF_ORIGIN', message: refusal } });
    done();
  };
  app.addHook('onRoute', (route) => {
    if (!guarded(route)) return;
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [check, ...own];
  });
}
