import type { Principal } from '@libs/better-auth';
import type { UserSession } from '@libs/database/models';
import { IdpUnavailableError } from '../../oidc/discovery';
import { OperationError, type OperationRegistry } from './operations';
import { OPERATION_ERRORS } from './protocol';
import type { SessionRefresher } from './SessionRefresher';

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** The socket's principal as `session.status` answers it (no token ever leaves the server). */
export function principalStatus(connectionId: string, principal: Principal) {
  const { session, apiKey } = principal;
  return {
    connectionId,
    userId: principal.user.id,
    sessionId: session?.id ?? null,
    apiKeyId: apiKey?.id ?? null,
    expiresAt: iso(session?.expiresAt ?? apiKey?.expiresAt),
    accessTokenExpiresAt: iso(session?.accessTokenExpiresAt),
  };
}

function sessionOf(principal: Principal): UserSession {
  if (!principal.session) throw new OperationError(OPERATION_ERRORS.NO_SESSION, 'This socket was opened with an API key, not a session.');
  return principal.session;
}

function isIdpOutage(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) if (e instanceof IdpUnavailableError) return true;
  return false;
}

/**
 * `ping` → `{ pong: true }`; `session.status` → the socket's principal (user, session id, key id,
 * expiries); `session.refresh` → the refresher's refresh, now (`{ refreshed, accessTokenExpiresAt }`).
 */
export function defineBuiltinOperations(registry: OperationRegistry, refresher: SessionRefresher | undefined): void {
  registry
    .define('ping', { run: () => ({ pong: true }) })
    .define('session.status', { run: ({ connectionId, principal }) => principalStatus(connectionId, principal) })
    .define('session.refresh', {
      // The refresher retries IdP outages itself (until expiry + grace): one attempt here.
      maxRetries: 0,
      run: async ({ principal }) => {
        const session = sessionOf(principal);
        if (!refresher || !session.refreshToken || !session.accessTokenExpiresAt) throw new OperationError(OPERATION_ERRORS.NO_UPSTREAM_TOKENS, 'This session has no upstream tokens to refresh.');
        try {
          const { refreshed, session: after } = await refresher.refreshNow(session.id, session.accessTokenExpiresAt.getTime());
          return { refreshed, accessTokenExpiresAt: iso(after.accessTokenExpiresAt) };
        } catch (error) {
          if (isIdpOutage(error)) throw new OperationError(OPERATION_ERRORS.IDP_UNAVAILABLE, 'The identity provider is unavailable; the socket stays until the token expires plus the grace period.');
          throw error;
        }
      },
    });
}
