import type { FastifyInstance, FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AdminCsrfOptions {
  /** The app's own origin (`BETTER_AUTH_URL` or `http://HOST:PORT`). */
  baseURL: string;
  /** `TRUSTED_ORIGINS`: other origins allowed to call the admin API with the cookie. */
  trustedOrigins: readonly string[];
  /** Path prefix of the guarded routes. @default '/api/admin/' */
  prefix?: string;
}

/** Why a cookie-authenticated write is refused, or null when it may proceed. */
export function crossSiteRefusal(request: Pick<FastifyRequest, 'method' | 'headers'>, allowed: ReadonlySet<string>): string | null {
  if (SAFE_METHODS.has(request.method) || request.headers.cookie === undefined) return null;
  const origin = request.headers.origin;
  if (origin !== undefined) return allowed.has(origin) ? null : `Origin ${origin === 'null' ? 'null' : 'of another site'} may not call the admin API`;
  // Browsers send Origin with every cross-origin write; Fetch Metadata covers one that does not.
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return 'Cross-site requests may not call the admin API';
  return null;
}

/**
 * CSRF protection of the admin API (Better-Auth's origin check only covers `/api/auth/*`): a
 * write (POST, PATCH, DELETE …) that carries cookies must come from the app's own origin or a
 * trusted one — a cross-site browser request (its `Origin`, or `Sec-Fetch-Site` without one)
 * gets 403 `CSRF_ORIGIN` before authentication runs. Callers without cookies (bearer token,
 * `x-api-key`) cannot be forged by a browser and are unaffected.
 */
export function registerAdminCsrf(app: FastifyInstance, options: AdminCsrfOptions): void {
  const prefix = options.prefix ?? '/api/admin/';
  const allowed = new Set([new URL(options.baseURL).origin, ...options.trustedOrigins.map((o) => new URL(o).origin)]);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(prefix)) return;
    const refusal = crossSiteRefusal(request, allowed);
    if (refusal) return reply.code(403).send({ error: { code: 'CSRF_ORIGIN', message: refusal } });
  });
}
