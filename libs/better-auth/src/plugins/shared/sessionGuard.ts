import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import type { AccessCore } from '../../access/AccessCore';
import type { Principal } from '../../access/Principal';
import type { PrincipalLimit } from '../../access/principalLimit';
import { refusalApiError } from '../../access/refusals';
import type { BetterAuthOptions } from 'better-auth';

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

type EndpointSession = { session: object; user: { id: string } };

/**
 * How the plugin endpoints name a request's client (the key of the per-address budget). An app
 * that resolves the client itself (a proxy-trust rule) passes its resolver to
 * `createPluginServices`, so these endpoints and its own routes count the same address.
 */
export type ClientAddressResolver = (request: Request) => string;

/**
 * The default resolver, for a plain Better-Auth app: the client address Better-Auth's options
 * name, the first configured header's first entry (default `x-forwarded-for`) — behind a proxy,
 * configure that header so a client cannot choose its own.
 */
export function clientAddressOf(request: Request, options?: Pick<BetterAuthOptions, 'advanced'>): string {
  const header = options?.advanced?.ipAddress?.ipAddressHeaders?.[0] ?? 'x-forwarded-for';
  return request.headers.get(header)?.split(',')[0]?.trim() || 'unknown';
}

/**
 * The 429 for a caller past its budget, or null: the same `PrincipalLimit` (per user, per address;
 * `access/principalLimit.ts`) as the guarded Fastify routes, the same buckets. An API key standing
 * in for its owner counts per address (its per-key bucket was charged when it was verified). The
 * address is `address(request)` (`clientAddressOf` unless the app gave its resolver). In-process
 * calls (`auth.api.*`, no HTTP request) are not counted.
 */
export async function overBudget(limit: PrincipalLimit, request: Request | undefined, session: EndpointSession, address: ClientAddressResolver = clientAddressOf): Promise<APIError | null> {
  if (!request) return null;
  const apiKeyId = (session.session as ApiKeySessionMarker).apiKeyId;
  const refusal = await limit({ user: { id: session.user.id }, apiKey: apiKeyId ? { id: apiKeyId } : null }, address(request));
  if (!refusal) return null;
  return refusalApiError(refusal);
}

/**
 * The middlewares of the plugins' endpoints (`/api/auth/api-key/*`, `/api/auth/roles/*`): who is
 * calling (401 without a session), then `limit` (429 `RATE_LIMITED` + Retry-After past the budget),
 * per address as `clientAddress` names it (@default Better-Auth's `advanced.ipAddress` headers).
 */
export function createSessionGuards(limit: PrincipalLimit, clientAddress?: ClientAddressResolver) {
  const signedIn = async (ctx: Parameters<typeof getSessionFromCtx>[0]) => {
    const session = await getSessionFromCtx(ctx);
    if (!session?.session) throw new APIError('UNAUTHORIZED', SESSION_ERRORS.UNAUTHORIZED);
    const refused = await overBudget(limit, ctx.request, session, clientAddress ?? ((request) => clientAddressOf(request, ctx.context.options)));
    if (refused) throw refused;
    return session;
  };
  return {
    /** A signed-in user (cookie or bearer) or an API key standing in for its owner. */
    anySession: createAuthMiddleware(async (ctx) => ({ session: await signedIn(ctx) })),
    /**
     * A real user session: an API key may not mint, change or revoke keys, nor administer roles
     * (a leaked key must not be able to widen its own reach).
     */
    userSession: createAuthMiddleware(async (ctx) => {
      const session = await signedIn(ctx);
      if ((session.session as ApiKeySessionMarker).apiKeyId) throw new APIError('FORBIDDEN', SESSION_ERRORS.SESSION_REQUIRED);
      return { session };
    }),
  };
}

export type SessionGuards = ReturnType<typeof createSessionGuards>;
