import { betterAuth, type BetterAuthOptions } from 'better-auth';
import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from '../config';
import { outageScope } from '../http/outageScope';
import { NEW_USER_FIELDS, repositoryAdapter, schemaOptions, type AdapterRepositories } from '@libs/better-auth';
import { beforeSessionCreate } from './hooks/accountStatus';
import { authEvents } from './hooks/authEvents';
import type { PluginServices } from '@libs/better-auth';
import { authPlugins } from './plugins';
import { accountSignInLimit, rateLimitOptions } from './rateLimit/authRateLimit';
import type { BackgroundTasks } from '../backgroundTasks';
import { upstreamOidcPlugins, type UpstreamOidc } from '../oidc/upstreamOidc';
import { passwordHasherFor } from './password/passwordHasher';
import { CLIENT_ADDRESS_HEADER } from '../http/clientAddress';
import { authMailOptions } from '../mail/authMail';
import type { Mailer } from '../mail/transport';


/** Where Better-Auth's endpoints are served (its `basePath`); the betterAuth feature's prefix. */
export const AUTH_BASE_PATH = '/api/auth';
export interface CreateAuthOptions {
  config: AppConfig;
  secret: string;
  baseURL: string;
  /** Origins trusted besides the base URL's (http/origins.ts): the same list CORS, /ws and the CSRF rule use. */
  trustedOrigins: string[];
  /** Better-Auth model name → repository (user, userSession, account, verification). */
  adapterRepositories: AdapterRepositories;
  /**
   * The plugins' shared state; also where the auth options read the repositories (audit events),
   * the access core (who may act, cookie names) and the rate limiter (Better-Auth's per-IP limits
   * and our per-account sign-in limit) — each given once.
   */
  pluginServices: PluginServices;
  /** Audit writes off the critical path. */
  background: BackgroundTasks;
  /** The upstream IdP (OIDC_ISSUER), when configured. */
  upstream?: UpstreamOidc;
  /** Password-reset and verification mail (SMTP_URL, or the log in development and test). */
  mailer: Mailer;
  transaction?: <R>(fn: (repositories: AdapterRepositories) => Promise<R>) => Promise<R>;
  logger: FastifyBaseLogger;
}

/** Session lifetime and refresh window, as Better-Auth's defaults. */
export const SESSION_EXPIRES_IN_S = 60 * 60 * 24 * 7;

export const SESSION_UPDATE_AGE_S = 60 * 60 * 24;

/** Cookie options; the access core reads the same cookie names from them. */
export function cookieOptions(config: Pick<AppConfig, 'NODE_ENV'>) {
  return {
    useSecureCookies: config.NODE_ENV === 'production',
    defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
  } as const;
}

export function authOptions(options: CreateAuthOptions) {
  const { config, logger } = options;
  const { repositories, access, rateLimiter } = options.pluginServices;
  const { users, events } = repositories;
  const eventDeps = { users, events, logger };
  const rateLimited = config.AUTH_RATE_LIMIT === 'on';
  const password = passwordHasherFor(config.PASSWORD_HASH_COST);
  const schema = schemaOptions();
  const appName = 'auth-service';
  const mail = authMailOptions({ mailer: options.mailer, background: options.background, appName });
  return {
    appName,
    baseURL: options.baseURL,
    basePath: AUTH_BASE_PATH,
    secret: options.secret,
    // BETTER_AUTH_SECRETS, validated by the config schema: given here, so Better-Auth never reads a
    // different value from the environment on its own (its current entry is `secret`).
    ...(config.BETTER_AUTH_SECRETS ? { secrets: config.BETTER_AUTH_SECRETS } : {}),
    trustedOrigins: options.trustedOrigins,
    telemetry: { enabled: false },
    // Errors reach our route, which answers outages with 503 + Retry-After (see routes/auth.ts).
    onAPIError: { throw: true },
    database: repositoryAdapter({ repositories: options.adapterRepositories, transaction: options.transaction, onError: outageScope.report, onCommitted: outageScope.committed }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      // `/reset-password` ends every other session of the user: Better-Auth's session deleteMany,
      // which the repository adapter turns into `sessions.end` per row (cache bus: every instance).
      revokeSessionsOnPasswordReset: true,
      ...mail.emailAndPassword,
      // Sign-up answers the same for a new and an existing email (no enumeration): the user
      // signs in afterwards, and a taken email gets a synthetic user with the same fields.
      autoSignIn: false,
      customSyntheticUser: ({ coreFields, additionalFields, id }) => ({ ...coreFields, ...additionalFields, ...NEW_USER_FIELDS, id }),
      // Better-Auth's scrypt unless PASSWORD_HASH_COST=test (the test harness only).
      ...(password ? { password } : {}),
    },
    emailVerification: mail.emailVerification,
    user: schema.user,
    // No secondaryStorage: sessions are cached once, by the repositories (L1 + Redis, invalidated
    // on every instance), and Better-Auth reads them through the adapter.
    session: {
      ...schema.session,
      additionalFields: { fingerprint: { type: 'string', required: false, input: false, returned: false } },
      expiresIn: SESSION_EXPIRES_IN_S,
      updateAge: SESSION_UPDATE_AGE_S,
    },
    // OAuth tokens on `account` are encrypted too; the session's copy uses our key (oidc/).
    account: {
      ...schema.account,
      encryptOAuthTokens: true,
      // An upstream sign-in whose email matches a local user joins that user only when both ends
      // proved the address: the IdP says `email_verified` AND the local email is verified. Either
      // alone is not enough: an unverified local account may be somebody's squat on the address
      // (pre-registered to take over the IdP user's sign-in), and an IdP claim left unverified
      // would hand the local account to whoever typed the address there. Spelled out (these are
      // Better-Auth 1.7's defaults) so an upgrade cannot loosen it; no provider is trusted blindly.
      accountLinking: { enabled: true, requireLocalEmailVerified: true, trustedProviders: [], allowDifferentEmails: false },
    },
    verification: schema.verification,
    advanced: {
      // The configured NODE_ENV decides, not Better-Auth's own read of the process environment:
      // its origin check (and the CSRF check tied to it) is off only for NODE_ENV=test, as Better-Auth
      // would do by itself, and on for development and production wherever the process runs.
      disableOriginCheck: config.NODE_ENV === 'test',
      disableCSRFCheck: config.NODE_ENV === 'test',
      ...schema.advanced,
      ...cookieOptions(config),
      // Set by our Fastify bridge to the resolved client (http/clientAddress.ts), one address; a
      // client's own value is overwritten, so Better-Auth needs no trustedProxies of its own.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    rateLimit: rateLimitOptions(rateLimiter, rateLimited),
    plugins: [
      accountSignInLimit(rateLimiter, rateLimited),
      ...authPlugins(options.pluginServices, { enabled: config.AUTH_PLUGINS, appName, baseURL: options.baseURL, trustedOrigins: config.TRUSTED_ORIGINS }),
      ...(options.upstream ? upstreamOidcPlugins(options.upstream, logger) : []),
      authEvents({ ...eventDeps, sessions: repositories.sessions, background: options.background, credentials: access.credentials }),
    ],
    databaseHooks: {
      session: { create: { before: beforeSessionCreate({ ...eventDeps, access }) } },
    },
    logger: {
      level: 'warn',
      log: (level, message) => {
        // Better-Auth's extra arguments can carry request data: only the message is logged.
        logger[level]({ component: 'better-auth' }, message);
      },
    },
  } satisfies BetterAuthOptions;
}

export function createAuth(options: CreateAuthOptions) {
  return betterAuth(authOptions(options));
}

export type Auth = ReturnType<typeof createAuth>;
