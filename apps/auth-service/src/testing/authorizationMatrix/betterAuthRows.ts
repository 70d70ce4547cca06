import { randomUUID } from 'node:crypto';
import { everyone, type Expectation, type MatrixRow, type PrincipalName } from './expectations';
import { MATRIX_PASSWORD } from './world';

/**
 * A Better-Auth endpoint behind `sessionMiddleware`: 401 without a session. `x-api-key` stands in
 * for a session only on the read-only paths of `DEFAULT_API_KEY_SESSION_PATHS`; elsewhere the
 * header is ignored, so the key caller is anonymous (401) — a key cannot change its owner's account.
 */
export function sessionOnly(allowed: Expectation): Record<PrincipalName, Expectation> {
  return { anonymous: 401, plain: allowed, underScopedKey: 401, lowerAdmin: allowed, sameRankAdmin: allowed, superAdmin: allowed };
}

const auth = (path: string) => `/api/auth${path}`;

/** Better-Auth's own endpoints (core and the bearer / OpenAPI plugins), as the app configures them. */
export const BETTER_AUTH_ROWS: MatrixRow[] = [
  // Public: sign-up answers a taken email like a new one; sign-in needs the right password.
  { route: 'POST /api/auth/sign-up/email', request: () => ({ body: { email: `new-${randomUUID()}@example.com`, password: MATRIX_PASSWORD, name: 'New' } }), expect: everyone(200) },
  { route: 'POST /api/auth/sign-in/email', request: ({ world }) => ({ body: { email: world.signInOnly.email, password: MATRIX_PASSWORD } }), expect: everyone(200) },
  { route: 'POST /api/auth/sign-in/social', request: () => ({ body: { provider: 'keycloak', callbackURL: '/signed-in' } }), expect: everyone(200) },
  // Without the state cookie of a sign-in, the callback redirects to the error page.
  { route: 'GET /api/auth/callback/:id', request: () => ({ url: auth('/callback/keycloak') }), expect: everyone(302) },
  { route: 'POST /api/auth/callback/:id', request: () => ({ url: auth('/callback/keycloak'), body: {} }), expect: everyone(302) },
  // POST is only for `deferSessionRefresh`, which the app does not turn on.
  // The API-key hook answers /get-session itself, for either method.
  { route: 'POST /api/auth/get-session', expect: { ...everyone({ status: 405, code: 'METHOD_NOT_ALLOWED_DEFER_SESSION_REQUIRED' }), underScopedKey: 200 } },
  // Tokens in the body / query are the credential: a bogus one is refused the same for everyone.
  { route: 'POST /api/auth/reset-password', request: () => ({ body: { newPassword: MATRIX_PASSWORD, token: 'not-a-token' } }), expect: everyone(400) },
  { route: 'GET /api/auth/reset-password/:token', request: () => ({ url: auth('/reset-password/not-a-token?callbackURL=%2Freset') }), expect: everyone(302) },
  { route: 'GET /api/auth/verify-email', request: () => ({ url: auth('/verify-email?token=not-a-token') }), expect: everyone(401) },
  // Mail (SMTP_URL; logged in tests): anyone may ask, and the answer never tells whether the
  // address has an account. A signed-in caller asks for their own address, verified already: 400.
  { route: 'POST /api/auth/send-verification-email', request: ({ world }) => ({ body: { email: world.signInOnly.email } }), expect: { ...sessionOnly(400), anonymous: 200, underScopedKey: 200 } },
  { route: 'POST /api/auth/request-password-reset', request: ({ world }) => ({ body: { email: world.signInOnly.email, redirectTo: '/reset' } }), expect: everyone(200) },
  // The caller's own account and sessions.
  { route: 'POST /api/auth/verify-password', request: () => ({ body: { password: MATRIX_PASSWORD } }), expect: sessionOnly(200) },
  { route: 'POST /api/auth/change-password', request: () => ({ body: { currentPassword: MATRIX_PASSWORD, newPassword: MATRIX_PASSWORD } }), expect: sessionOnly(200), endsOwnSessions: true },
  { route: 'POST /api/auth/change-email', request: () => ({ body: { newEmail: `changed-${randomUUID()}@example.com` } }), expect: sessionOnly(400) },
  { route: 'POST /api/auth/update-user', request: () => ({ body: { name: 'Renamed' } }), expect: sessionOnly(200) },
  // No session field takes input (fingerprint is server-set): nothing to update is a 400.
  { route: 'POST /api/auth/update-session', request: () => ({ body: {} }), expect: sessionOnly(400) },
  // Deleting one's account is not enabled.
  { route: 'POST /api/auth/delete-user', request: () => ({ body: {} }), expect: sessionOnly(404) },
  { route: 'GET /api/auth/delete-user/callback', request: () => ({ url: auth('/delete-user/callback?token=not-a-token') }), expect: everyone(404) },
  { route: 'GET /api/auth/list-sessions', expect: sessionOnly(200) },
  { route: 'POST /api/auth/revoke-session', request: async ({ actor }) => ({ body: { token: (await actor.fresh()).token ?? 'not-a-token' } }), expect: sessionOnly(200) },
  { route: 'POST /api/auth/revoke-sessions', request: () => ({ body: {} }), expect: sessionOnly(200), endsOwnSessions: true },
  { route: 'POST /api/auth/revoke-other-sessions', request: () => ({ body: {} }), expect: sessionOnly(200), endsOwnSessions: true },
  // Signing out without a session is a no-op that succeeds.
  { route: 'POST /api/auth/sign-out', request: () => ({ body: {} }), expect: everyone(200), endsOwnSessions: true },
  { route: 'POST /api/auth/link-social', request: () => ({ body: { provider: 'keycloak', callbackURL: '/linked' } }), expect: sessionOnly(200) },
  { route: 'GET /api/auth/list-accounts', expect: sessionOnly(200) },
  // Another user's account: a `userId` in the body never stands in for a session (the session's user wins).
  { route: 'POST /api/auth/unlink-account', request: async ({ target }) => ({ body: { accountId: (await target()).id } }), expect: sessionOnly(400) },
  { route: 'POST /api/auth/refresh-token', request: async ({ target }) => ({ body: { accountId: 'no-such-account', userId: (await target()).id } }), expect: sessionOnly(400) },
  { route: 'POST /api/auth/get-access-token', request: async ({ target }) => ({ body: { accountId: 'no-such-account', userId: (await target()).id } }), expect: sessionOnly(400) },
  { route: 'GET /api/auth/account-info', request: () => ({ url: auth('/account-info?accountId=no-such-account') }), expect: sessionOnly(400) },
  // The OpenAPI reference and Better-Auth's probes are public.
  { route: 'GET /api/auth/open-api/generate-schema', expect: everyone(200) },
  { route: 'GET /api/auth/reference', expect: everyone(200) },
  { route: 'GET /api/auth/ok', expect: everyone(200) },
  { route: 'GET /api/auth/error', expect: everyone(200) },
];
