import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';

/** Marks the session-like context an `x-api-key` header produces (see api-key/sessionHook.ts). */
export interface ApiKeySessionMarker {
  apiKeyId?: string;
  apiKeyScopes?: string[];
}

export const SESSION_ERRORS = {
  UNAUTHORIZED: { code: 'UNAUTHORIZED', message: 'Unauthorized' },
  SESSION_REQUIRED: { code: 'SESSION_REQUIRED', message: 'This endpoint needs a user session, not an API key' },
} as const;

/** A signed-in user (cookie or bearer) or an API key standing in for its owner. */
export const anySessionMiddleware = createAuthMiddleware(async (ctx) => {
  const session = await getSessionFromCtx(ctx);
  if (!session?.session) throw new APIError('UNAUTHORIZED', SESSION_ERRORS.UNAUTHORIZED);
  return { session: session as NonNullable<typeof session> };
});

/**
 * A real user session: an API key may not mint, change or revoke keys, nor administer roles
 * (a leaked key must not be able to widen its own reach).
 */
export const userSessionMiddleware = createAuthMiddleware(async (ctx) => {
  const session = await getSessionFromCtx(ctx);
  if (!session?.session) throw new APIError('UNAUTHORIZED', SESSION_ERRORS.UNAUTHORIZED);
  if ((session.session as ApiKeySessionMarker).apiKeyId) throw new APIError('FORBIDDEN', SESSION_ERRORS.SESSION_REQUIRED);
  return { session: session as NonNullable<typeof session> };
});
