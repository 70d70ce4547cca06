import type { FastifyInstance, FastifyRequest } from 'fastify';

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

/** Whether the route Fastify matched takes cookie-authenticated writes we must check ourselves. */
function guarded(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  // No route matched: the request is answered 404 and writes nothing.
  if (route === undefined) return false;
  if (route.startsWith(BETTER_AUTH_PREFIX)) return false;
  return request.routeOptions.config.csrf !== false;
}

/**
 * CSRF protection of every cookie-authenticated write outside Better-Auth (whose origin check
 * covers `/api/auth/*`): the admin API, the session admin routes, anything registered later. The
 * decision uses the route Fastify matched (`routeOptions.url`), never the raw URL, so `%61dmin`,
 * `%2F` in a parameter or any other spelling that reaches a route is checked like the plain one.
 * Refused: 403 `CSRF_ORIGIN` before authentication runs. Callers without cookies (bearer token,
 * `x-api-key`) cannot be forged by a browser and are unaffected.
 */
export function registerCookieCsrf(app: FastifyInstance, options: CookieCsrfOptions): void {
  const allowed = new Set([new URL(options.baseURL).origin, ...options.trustedOrigins.map((o) => new URL(o).origin)]);
  app.addHook('onRequest', async (request, reply) => {
    if (!guarded(request)) return;
    const refusal = crossSiteRefusal(request, allowed);
    if (refusal) return reply.code(403).send({ error: { code: 'CSRF_ORIGIN', message: refusal } });
  });
}
