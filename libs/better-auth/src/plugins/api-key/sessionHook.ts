import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { AccessCore } from '../../access/AccessCore';
import { API_KEY_HEADER } from '../../access/credentials';
import { attachKeyPrincipal, type ApiKeySessionMarker } from '../shared/sessionGuard';
import { STATUS_NAMES } from './verifyAnswer';

export { API_KEY_HEADER };

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
export function apiKeySessionHook(access: AccessCore, paths: readonly string[] = DEFAULT_API_KEY_SESSION_PATHS) {
  const allowed = new Set(paths);
  return {
    matcher: (ctx: { path?: string; request?: Request; headers?: Headers }) =>
      allowed.has(ctx.path ?? '') && Boolean(ctx.request?.headers.get(API_KEY_HEADER) ?? ctx.headers?.get(API_KEY_HEADER)),
    handler: createAuthMiddleware(async (ctx) => {
      const presented = ctx.request?.headers.get(API_KEY_HEADER) ?? ctx.headers?.get(API_KEY_HEADER) ?? undefined;
      const outcome = await access.authenticateKey(presented);
      if (!outcome.ok) {
        const { status, code, message, missingScopes, retryAfterS } = outcome.refusal;
        throw new APIError(STATUS_NAMES[status], { code, message, ...(missingScopes ? { missingScopes } : {}) }, retryAfterS === undefined ? undefined : { 'retry-after': String(retryAfterS) });
      }
      const { principal } = outcome;
      const key = principal.apiKey;
      if (!key) throw new APIError('UNAUTHORIZED', { code: 'INVALID_API_KEY', message: 'Invalid API key' });
      const user = await ctx.context.internalAdapter.findUserById(principal.user.id);
      if (!user) throw new APIError('UNAUTHORIZED', { code: 'INVALID_API_KEY', message: 'Invalid API key' });
      const now = new Date();
      const session: Record<string, unknown> & ApiKeySessionMarker = {
        id: `apikey_${key.id}`,
        token: '',
        userId: principal.user.id,
        expiresAt: key.expiresAt ?? FAR_FUTURE,
        createdAt: now,
        updatedAt: now,
        ipAddress: null,
        userAgent: null,
        apiKeyId: key.id,
        apiKeyScopes: key.scopes,
      };
      // Endpoints ask the access core with this principal: the key's grant narrows what they allow.
      attachKeyPrincipal(session, principal);
      const context = ctx.context as unknown as { session: unknown };
      context.session = { session, user };
      if (ctx.path === '/get-session') return ctx.json({ session, user });
      // ctx.context is this request's own copy: the session set above reaches the endpoint.
      return undefined;
    }),
  };
}
