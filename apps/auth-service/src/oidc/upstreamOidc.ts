import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware } from 'better-auth/api';
import { decryptOAuthToken } from 'better-auth/oauth2';
import { genericOAuth, keycloak } from 'better-auth/plugins/generic-oauth';
import type { FastifyBaseLogger } from 'fastify';
import { decodeJwt } from 'jose';
import type { ISessionRepository } from '@libs/database/postgress/repositories';
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

/** Epoch ms from Better-Auth's expiry (Date or string), or null. */
const expiry = (value: unknown): Date | null => (value ? new Date(value as string | Date) : null);

/**
 * Upstream sign-in: Better-Auth's generic OAuth provider with the Keycloak preset (discovery,
 * authorization code + PKCE, ID token verified against the IdP's JWKS with a nonce), and a hook
 * on its callback that copies the tokens onto the new `UserSession` — encrypted with our key —
 * with the IdP's `sid` as `keycloakSessionId` (the key of back-channel logout).
 */
export function upstreamOidcPlugins(upstream: UpstreamOidc, sessions: Pick<ISessionRepository, 'updateTokens'>, logger: FastifyBaseLogger): BetterAuthPlugin[] {
  const sessionTokens = {
    id: 'upstream-session-tokens',
    hooks: {
      after: [
        {
          matcher: (ctx: { path?: string }) => ctx.path === `/callback/:id` || ctx.path === `/callback/${upstream.providerId}`,
          handler: createAuthMiddleware(async (ctx) => {
            const created = ctx.context.newSession;
            if (!created) return;
            const accounts = await ctx.context.internalAdapter.findAccounts(created.user.id);
            const account = accounts.find((a) => a.providerId === upstream.providerId);
            if (!account) return;
            const plain = (token: string | null | undefined) => (token ? decryptOAuthToken(token, ctx.context) : null);
            const idToken = await plain(account.idToken);
            const sid = idToken ? decodeJwt(idToken).sid : undefined;
            const { cipher } = upstream;
            await sessions.updateTokens(created.session.id, {
              accessToken: cipher.encrypt(await plain(account.accessToken)),
              refreshToken: cipher.encrypt(await plain(account.refreshToken)),
              idToken: cipher.encrypt(idToken),
              accessTokenExpiresAt: expiry(account.accessTokenExpiresAt),
              refreshTokenExpiresAt: expiry(account.refreshTokenExpiresAt),
              keycloakSessionId: typeof sid === 'string' ? sid : null,
            });
            logger.info({ component: 'oidc', sessionId: created.session.id, keyId: cipher.keyId, withSid: typeof sid === 'string' }, 'upstream tokens stored on the session');
          }),
        },
      ],
    },
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
