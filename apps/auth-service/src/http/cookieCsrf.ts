import type { FastifyInstance, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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

/** Whether a route of the scope takes cookie-authenticated writes (not `config: { csrf: false }`). */
function guarded(route: Pick<RouteOptions, 'config'>): boolean {
  return (route.config as { csrf?: boolean } | undefined)?.csrf !== false;
}

/**
 * CSRF protection of the cookie-authenticated writes of one Fastify scope: a feature whose routes
 * take such writes calls it first in its plugin (`adminFeature`: the admin API and the session
 * admin routes). Fastify's encapsulation keeps it to that scope, so Better-Auth's routes (their
 * own origin check), get-session and key verify never carry it, and no prefix is matched by hand.
 * The decision is made per route when the route is registered (its pattern, never the raw URL), so
 * `%61dmin`, `%2F` in a parameter or any other spelling that reaches a route is checked like the
 * plain one; a URL that matches no route is answered 404 and writes nothing. Refused: 403
 * `CSRF_ORIGIN` before authentication runs. Callers without cookies (bearer token, `x-api-key`)
 * cannot be forged by a browser and are unaffected. Call before the scope's routes.
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
