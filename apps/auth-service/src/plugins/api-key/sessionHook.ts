import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { ApiKeySessionMarker } from '../shared/sessionGuard';
import type { ApiKeyVerifier } from './ApiKeyVerifier';
import { refusalBody, STATUS_NAMES } from './verifyAnswer';

export const API_KEY_HEADER = 'x-api-key';

/**
 * Better-Auth paths on which `x-api-key` stands in for a session. Read-only by default: a key
 * scoped to `orders:read` must not be able to change its owner's profile, sessions or account
 * (`/update-user`, `/revoke-sessions`, `/delete-user` …). Elsewhere the header is ignored.
 */
export const DEFAULT_API_KEY_SESSION_PATHS: readonly string[] = ['/get-session', '/roles/has-permission', '/roles/my-permissions'];

// A key without expiry still needs a session expiry; Better-Auth compares it with now.
const FAR_FUTURE = new Date('9999-12-31T00:00:00Z');

/**
 * `hooks.before`: a request carrying `x-api-key` to one of `paths` runs as the key's owner —
 * Better-Auth endpoints behind `sessionMiddleware` see a session-like context (`session.apiKeyId`,
 * `session.apiKeyScopes`), and `GET /get-session` answers it directly. A refused key fails
 * the request (401/403/429) instead of silently falling back to "no session".
 */
export function apiKeySessionHook(verifier: ApiKeyVerifier, paths: readonly string[] = DEFAULT_API_KEY_SESSION_PATHS) {
  const allowed = new Set(paths);
  return {
    matcher: (ctx: { path?: string; request?: Request; headers?: Headers }) =>
      allowed.has(ctx.path ?? '') && Boolean(ctx.request?.headers.get(API_KEY_HEADER) ?? ctx.headers?.get(API_KEY_HEADER)),
    handler: createAuthMiddleware(async (ctx) => {
      const presented = ctx.request?.headers.get(API_KEY_HEADER) ?? ctx.headers?.get(API_KEY_HEADER);
      const outcome = await verifier.verify(presented);
      if (!outcome.ok) {
        throw new APIError(STATUS_NAMES[outcome.status], refusalBody(outcome), outcome.retryAfterS === undefined ? undefined : { 'retry-after': String(outcome.retryAfterS) });
      }
      const { principal } = outcome;
      const user = await ctx.context.internalAdapter.findUserById(principal.userId);
      if (!user) throw new APIError('UNAUTHORIZED', refusalBody({ ok: false, status: 401, error: { code: 'INVALID_API_KEY', message: 'Invalid API key' } }));
      const now = new Date();
      const session: Record<string, unknown> & ApiKeySessionMarker = {
        id: `apikey_${principal.keyId}`,
        token: '',
        userId: principal.userId,
        expiresAt: principal.expiresAt ?? FAR_FUTURE,
        createdAt: now,
        updatedAt: now,
        ipAddress: null,
        userAgent: null,
        apiKeyId: principal.keyId,
        apiKeyScopes: principal.scopes,
      };
      const context = ctx.context as unknown as { session: unknown };
      context.session = { session, user };
      if (ctx.path === '/get-session') return ctx.json({ session, user });
      // ctx.context is this request's own copy: the session set above reaches the endpoint.
      return undefined;
    }),
  };
}
