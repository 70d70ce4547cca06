import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import type { AccessCore } from '../../access/AccessCore';
import type { Principal } from '../../access/Principal';

/** Marks the session-like context an `x-api-key` header produces (see api-key/sessionHook.ts). */
export interface ApiKeySessionMarker {
  apiKeyId?: string;
  apiKeyScopes?: string[];
}

export const SESSION_ERRORS = {
  UNAUTHORIZED: { code: 'UNAUTHORIZED', message: 'Unauthorized' },
  SESSION_REQUIRED: { code: 'SESSION_REQUIRED', message: 'This endpoint needs a user session, not an API key' },
} as const;

/** The key principal behind an `x-api-key` session-like context; invisible to JSON (never answered). */
const KEY_PRINCIPAL = Symbol('apiKeyPrincipal');

export function attachKeyPrincipal(session: object, principal: Principal): void {
  Object.defineProperty(session, KEY_PRINCIPAL, { value: principal, enumerable: false });
}

/**
 * The principal of a Better-Auth endpoint's caller: the key principal an `x-api-key` produced, or
 * the session's user as the access core sees them (a user who can no longer act is refused).
 */
export async function principalOfSession(access: AccessCore, session: { session: object; user: { id: string } }): Promise<Principal> {
  const fromKey = (session.session as Record<symbol, Principal | undefined>)[KEY_PRINCIPAL];
  if (fromKey) return fromKey;
  const principal = await access.principalOfUser(session.user.id);
  if (!principal) throw new APIError('UNAUTHORIZED', SESSION_ERRORS.UNAUTHORIZED);
  return principal;
}

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
