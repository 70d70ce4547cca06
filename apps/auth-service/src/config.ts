import { z } from 'zod';
import { commaList, emptyAsUndefined, url } from './configFields';
import { replicaConfigShape } from './data/replicaConfig';
import { dataConfigShape } from './data/dataConfig';
import { checkOidcConfig, oidcConfigShape } from './oidc/oidcConfig';
import { metricsSnapshotConfigShape } from './metrics/metricsSnapshot';
import { processMetricsConfigShape } from './metrics/processMetrics';
import { checkRedisConfig } from './redisConfig';
import { wsConfigShape } from './features/realtime/wsConfig';
import { checkPasswordHashConfig, passwordHashConfigShape } from './auth/password/passwordHasher';
import { underPressureConfigShape } from './http/underPressure';
import { clientAddressConfigShape } from './http/clientAddress';
import { checkProductionSecrets } from './secretsPolicy';
import { shutdownConfigShape } from './lifecycle';
import { tracingConfigShape } from './tracing/tracingConfig';
import { principalLimitConfigShape } from './identity/principalLimitConfig';
import { authPluginsConfigShape } from './auth/authPluginsConfig';
import { checkMailConfig, mailConfigShape } from './mail/mailConfig';
import { betterAuthSpellingsConfigShape, checkBetterAuthSpellings, unifyBetterAuthSpellings } from './betterAuthSpellings';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;


export const configSchema = z
  .object({
    /** `production` enforces real secrets, secure cookies and a 5 s drain delay; `test` is for the test harness. */
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** Address to listen on (`0.0.0.0` in a container). */
    HOST: z.string().min(1).max(255).default('127.0.0.1'),
    /** Port to listen on. */
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    /** pino level; credentials, cookies, tokens and secret-looking query values are redacted. */
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** Postgres; unset → embedded Postgres in DATA_DIR. */
    DATABASE_URL: z.preprocess(emptyAsUndefined, url(['postgres:', 'postgresql:']).optional()),
    /** Redis; unset (and no REDIS_SENTINELS) → memory-only cache. */
    REDIS_URL: z.preprocess(emptyAsUndefined, url(['redis:', 'rediss:']).optional()),
    /** Redis through Sentinel: comma-separated `host:port` of the Sentinels (instead of REDIS_URL). */
    REDIS_SENTINELS: z.preprocess(emptyAsUndefined, z.string().max(4_096).optional()),
    /** The master's name in the Sentinels' `sentinel monitor` line. */
    REDIS_SENTINEL_MASTER: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be 1-128 letters, digits, . _ -').default('mymaster')),
    /** Password of the Sentinels themselves (their `requirepass`). */
    REDIS_SENTINEL_PASSWORD: z.preprocess(emptyAsUndefined, z.string().max(512).optional()),
    /** Password of the Redis master and replicas; with REDIS_URL, used when the URL has none. */
    REDIS_PASSWORD: z.preprocess(emptyAsUndefined, z.string().max(512).optional()),
    /** Signs cookies and tokens; required in production (≥ 32 characters, not a known development value), generated once and kept in DATA_DIR otherwise. */
    BETTER_AUTH_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters').max(512).optional()),
    /** Public base URL of this service. */
    BETTER_AUTH_URL: z.preprocess(emptyAsUndefined, url(['http:', 'https:']).optional()),
    /** Comma-separated origins trusted besides BETTER_AUTH_URL's own, by every check: Better-Auth's origin check, CORS, the /ws Origin and the cookie CSRF rule (in development with the default base URL, the other loopback name is added). */
    TRUSTED_ORIGINS: commaList(url(['http:', 'https:']), 8_192, 64),
    ...betterAuthSpellingsConfigShape,
    /** Rate limits per IP and per account on the auth endpoints ('off' only for load tests). */
    AUTH_RATE_LIMIT: z.enum(['on', 'off']).default('on'),
    ...authPluginsConfigShape,
    /** Unknown credentials (session token, bearer, API key) one address may present per window before its credential requests answer 429; 0 = off; unset: 100, or off with AUTH_RATE_LIMIT=off. */
    CREDENTIAL_FAILURE_LIMIT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(1_000_000).optional()),
    /** The window of CREDENTIAL_FAILURE_LIMIT. */
    CREDENTIAL_FAILURE_WINDOW_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(60_000),
    ...principalLimitConfigShape,
    /** The first admin: this user gets the system-admin role at start-up (see the README). */
    BOOTSTRAP_ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email().max(254).optional()),
    /** Creates the bootstrap admin with this password when no user has the email yet. */
    BOOTSTRAP_ADMIN_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(8).max(128).optional()),
    /** The bootstrap admin's display name when it is created. */
    BOOTSTRAP_ADMIN_NAME: z.preprocess(emptyAsUndefined, z.string().min(1).max(255).optional()),
    /** Where the embedded Postgres and the development secret live. */
    DATA_DIR: z.string().min(1).max(1_024).default('.data'),
    ...replicaConfigShape,
    /** Names this instance in `/health/*` answers (which one a load balancer reached); unset → `<hostname>:<PORT>`. */
    INSTANCE_ID: z.preprocess(emptyAsUndefined, z.string().max(128).regex(/^[\w.:-]+$/, 'may only hold letters, digits, . _ : -').optional()),
    ...dataConfigShape,
    ...oidcConfigShape,
    ...wsConfigShape,
    ...metricsSnapshotConfigShape,
    ...processMetricsConfigShape,
    ...passwordHashConfigShape,
    ...underPressureConfigShape,
    ...clientAddressConfigShape,
    ...shutdownConfigShape,
    ...mailConfigShape,
    ...tracingConfigShape,
  })
  .superRefine((config, ctx) => {
    checkProductionSecrets(config, ctx);
    if (config.DATABASE_LOCK_TIMEOUT_MS > config.DATABASE_STATEMENT_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_LOCK_TIMEOUT_MS'], message: 'must not exceed DATABASE_STATEMENT_TIMEOUT_MS' });
    }
    checkOidcConfig(config, ctx);
    checkRedisConfig(config, ctx);
    checkPasswordHashConfig(config, ctx);
    checkBetterAuthSpellings(config, ctx);
    checkMailConfig(config, ctx);
  })
  .transform(unifyBetterAuthSpellings);

export type AppConfig = z.infer<typeof configSchema>;

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly issues: Array<{ variable: string; message: string }>) {
    super(`Invalid configuration: ${issues.map((i) => `${i.variable} ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  }
  return parsed.data;
}
