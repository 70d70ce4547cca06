import type { BetterAuthOptions, BetterAuthPlugin } from 'better-auth';
import { decryptOAuthToken } from 'better-auth/oauth2';
import { genericOAuth, keycloak } from 'better-auth/plugins/generic-oauth';
import type { FastifyBaseLogger } from 'fastify';
import { decodeJwt } from 'jose';
import type { AppConfig } from '../config';
import { IdpDiscovery } from './discovery';
import { derivedTokenKey, parseTokenKey, TokenCipher } from './tokenCipher';

/** The configured upstream IdP: client settings and the cipher for its tokens at rest. */
export interface UpstreamOidc {
  providerId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  cipher: TokenCipher;
  /** Discovery document and JWKS, fetched on first use. */
  discovery: IdpDiscovery;
}

/** The upstream IdP of the configuration, or undefined when OIDC_ISSUER is unset. */
export function upstreamOidcOf(config: AppConfig, secret: string): UpstreamOidc | undefined {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return undefined;
  const current = config.UPSTREAM_TOKEN_KEY ? parseTokenKey(config.UPSTREAM_TOKEN_KEY) : derivedTokenKey(secret);
  const issuer = config.OIDC_ISSUER.replace(/\/$/, '');
  return {
    providerId: config.OIDC_PROVIDER_ID,
    issuer,
    discovery: new IdpDiscovery(issuer),
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    cipher: new TokenCipher(current, config.UPSTREAM_TOKEN_PREVIOUS_KEYS.map(parseTokenKey)),
  };
}

/** A Date from Better-Auth's expiry (Date or string), or null. */
const expiry = (value: unknown): Date | null => (value ? new Date(value as string | Date) : null);

type SessionCreateBefore = NonNullable<NonNullable<NonNullable<NonNullable<BetterAuthOptions['databaseHooks']>['session']>['create']>['before']>;
/** The endpoint context a database hook runs in (null outside a request). */
type EndpointContext = NonNullable<Parameters<SessionCreateBefore>[1]>;

/** A session column holding the upstream copy: written by the server only, never in an answer. */
const stored = (type: 'string' | 'date') => ({ type, required: false, input: false, returned: false }) as const;

/** The upstream columns of `UserSession`, declared so Better-Auth's session INSERT carries them. */
const UPSTREAM_SESSION_FIELDS = {
  accessToken: stored('string'),
  refreshToken: stored('string'),
  idToken: stored('string'),
  accessTokenExpiresAt: stored('date'),
  refreshTokenExpiresAt: stored('date'),
  keycloakSessionId: stored('string'),
};

/** Whether Better-Auth is serving this provider's callback (`/callback/:id`). */
function isCallbackOf(ctx: EndpointContext | null, providerId: string): ctx is EndpointContext {
  return ctx?.path === '/callback/:id' && (ctx.params as { id?: unknown } | undefined)?.id === providerId;
}

/**
 * The upstream fields of the session this provider's callback is creating: the tokens
 * Better-Auth has just stored on the user's `account` (encrypted with its key), re-encrypted with
 * ours, and the ID token's `sid`. Null for any other session.
 */
async function upstreamSessionFields(upstream: UpstreamOidc, userId: string, ctx: EndpointContext | null): Promise<Record<string, string | Date | null> | null> {
  if (!isCallbackOf(ctx, upstream.providerId)) return null;
  // The account the callback wrote just before creating the session (the latest, should a user
  // hold two identities at this IdP).
  const [account] = (await ctx.context.internalAdapter.findAccounts(userId))
    .filter((a) => a.providerId === upstream.providerId)
    .sort((a, b) => new Date(b.updatedAt).getTime() - new Date(a.updatedAt).getTime());
  if (!account) return null;
  const plain = (token: string | null | undefined) => (token ? decryptOAuthToken(token, ctx.context) : null);
  const idToken = await plain(account.idToken);
  const sid = idToken ? decodeJwt(idToken).sid : undefined;
  const { cipher } = upstream;
  return {
    accessToken: cipher.encrypt(await plain(account.accessToken)),
    refreshToken: cipher.encrypt(await plain(account.refreshToken)),
    idToken: cipher.encrypt(idToken),
    accessTokenExpiresAt: expiry(account.accessTokenExpiresAt),
    refreshTokenExpiresAt: expiry(account.refreshTokenExpiresAt),
    keycloakSessionId: typeof sid === 'string' ? sid : null,
  };
}

/**
 * Upstream sign-in: Better-Auth's generic OAuth provider with the Keycloak preset (discovery,
 * authorization code + PKCE, ID token verified against the IdP's JWKS with a nonce), and a
 * `session.create.before` hook that puts the tokens — encrypted with our key — and the IdP's
 * `sid` as `keycloakSessionId` (the key of back-channel logout) into the callback's session
 * INSERT. One write: a session that committed has its tokens and `sid`, so the callback's answer
 * stands on an outage after it (routes/auth.ts), and no session exists without them.
 */
export function upstreamOidcPlugins(upstream: UpstreamOidc, logger: FastifyBaseLogger): BetterAuthPlugin[] {
  const sessionTokens = {
    id: 'upstream-session-tokens',
    schema: { session: { fields: UPSTREAM_SESSION_FIELDS } },
    init: () => ({
      options: {
        databaseHooks: {
          session: {
            create: {
              before: async (session: { userId: string } & Record<string, unknown>, ctx: EndpointContext | null) => {
                const fields = await upstreamSessionFields(upstream, session.userId, ctx);
                if (!fields) return;
                logger.info({ component: 'oidc', userId: session.userId, keyId: upstream.cipher.keyId, withSid: fields.keycloakSessionId !== null }, 'upstream tokens go into the new session');
                return { data: { ...session, ...fields } };
              },
            },
          },
        },
      },
    }),
  } satisfies BetterAuthPlugin;
  return [
    genericOAuth({
      config: [
        {
          ...keycloak({ clientId: upstream.clientId, clientSecret: upstream.clientSecret, issuer: upstream.issuer, scopes: ['openid', 'profile', 'email', 'offline_access'] }),
          providerId: upstream.providerId,
          pkce: true,
          requireIdTokenVerification: true,
        },
      ],
    }),
    sessionTokens,
  ];
}
