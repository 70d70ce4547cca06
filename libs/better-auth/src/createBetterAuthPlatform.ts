import type { Redis } from 'ioredis';
import type { RedisEndpoint } from '@libs/database/cache';
import type { ICache } from '@libs/database/cache';
import type { RepositoryDependencies } from '@libs/database/postgress/repositories';
import type { DatabaseClient } from '@libs/database/types';
import type { IMetricsCollector } from '@libs/monitoring';
import type { BackgroundRunner } from './access/AccessCore';
import { createAccessCore } from './access/createAccessCore';
import { DEFAULT_PRINCIPAL_LIMITS, type PrincipalLimits } from './access/principalLimit';
import { platformAdapterOptions } from './adapter/platformAdapter';
import { repositoryAdapter } from './adapter/repositoryAdapter';
import { apiKeyPlugin, type ApiKeyPluginOptions } from './plugins/api-key';
import { rolesPlugin, type RolesPluginOptions } from './plugins/roles';
import { createPluginServices } from './plugins/services';
import type { PluginLogger } from './plugins/shared/logger';
import { RateLimiter } from './plugins/shared/RateLimiter';
import { createRepositories } from './repositories';
import { schemaOptions } from './schemaOptions';

export interface BetterAuthPlatformOptions {
  /** `createDatabaseClient()` of `@libs/database` (migrated: `migrate: true`). */
  db: DatabaseClient;
  /** The same secret as Better-Auth's `secret`: the access core checks cookie and bearer signatures with it. */
  secret: string;
  /** The same as Better-Auth's `baseURL` (it names the cookies the access core reads). */
  baseURL: string;
  /** The repositories' cache (`new ResilientCacheService({ redis })` of `@libs/database/cache`). @default none */
  cache?: ICache;
  metrics?: IMetricsCollector;
  logger?: PluginLogger & RepositoryDependencies['logger'];
  /** Where the key and role limits count: Redis shares them across instances. @default memory (per instance) */
  redis?: RedisEndpoint | Redis;
  /** Runs work off the request's path (lifting lapsed bans). @default runs it, errors to `logger.warn` */
  background?: BackgroundRunner;
  /** Budgets of signed-in callers on the plugins' endpoints (per user, per address); `null`: none. @default DEFAULT_PRINCIPAL_LIMITS (600 / 1,200 a minute) */
  principalLimits?: PrincipalLimits | null;
  apiKey?: ApiKeyPluginOptions;
  roles?: RolesPluginOptions;
}

/**
 * Everything a Better-Auth server needs to run on `@libs/database`: spread `options` into
 * `betterAuth({...})` (the repository adapter, the schema's model names and fields, the api-key and
 * roles plugins) and keep the rest for your own routes (`access` decides who is calling and what
 * they may do). `close()` flushes buffered key usage and closes the limiter's Redis connection.
 */
export function createBetterAuthPlatform(platform: BetterAuthPlatformOptions) {
  const { db, cache, metrics, logger } = platform;
  const repositories = createRepositories({ db, cache, metrics, logger });
  const background: BackgroundRunner = platform.background ?? {
    run: (name, task) => void task().catch((error: unknown) => logger?.warn({ task: name, err: (error as Error)?.name }, 'background task failed')),
  };
  const rateLimiter = new RateLimiter({ redis: platform.redis, metrics, logger });
  const access = createAccessCore(repositories, { secret: platform.secret, background, rateLimiter, cookies: { baseURL: platform.baseURL } });
  const services = createPluginServices({ repositories, rateLimiter, access, principalLimits: platform.principalLimits === undefined ? DEFAULT_PRINCIPAL_LIMITS : platform.principalLimits });
  const schema = schemaOptions();
  const options = {
    ...schema,
    database: repositoryAdapter(platformAdapterOptions(repositories, access)),
    plugins: [apiKeyPlugin(services, platform.apiKey), rolesPlugin(services, platform.roles)],
  };
  return {
    options,
    repositories,
    access,
    services,
    async close(): Promise<void> {
      await repositories.apiKeys.close?.();
      await rateLimiter.close();
    },
  };
}

export type BetterAuthPlatform = ReturnType<typeof createBetterAuthPlatform>;
