import type { IApiKeyRepository } from '@libs/database/postgress/repositories';
import type { Repositories } from '../repositories';
import { ApiKeyVerifier, type ApiKeyVerifierOptions } from './api-key/ApiKeyVerifier';
import type { RateLimiter } from './shared/RateLimiter';

/** State the plugins share between Better-Auth (endpoints, hooks) and Fastify (routes, preHandlers). */
export interface PluginServices {
  repositories: Repositories;
  rateLimiter: RateLimiter;
  apiKeys: ApiKeyVerifier;
}

/** Reads the Better-Auth session of a request's headers (cookie or bearer); null when none. */
export type SessionReader = (headers: Headers) => Promise<{ user: { id: string } } | null>;

/** What Fastify routes and preHandlers reach through `app.authPlugins`. */
export interface FastifyPluginServices extends PluginServices {
  readSession: SessionReader;
}

export interface PluginServicesDependencies {
  repositories: Repositories;
  /** Shared with Better-Auth's own limits; owned (and closed) by the app context. */
  rateLimiter: RateLimiter;
  /** Key validation (the data layer's `validateApiKeyWithRetry`). @default the repository's `validate` */
  validateApiKey?: IApiKeyRepository['validate'];
  apiKeys?: ApiKeyVerifierOptions;
}

/** The plugin services of one app context, built once by the context. */
export function createPluginServices(deps: PluginServicesDependencies): PluginServices {
  const { repositories, rateLimiter } = deps;
  const keys = deps.validateApiKey
    ? { validate: deps.validateApiKey, expireSweep: () => repositories.apiKeys.expireSweep() }
    : repositories.apiKeys;
  return {
    repositories,
    rateLimiter,
    apiKeys: new ApiKeyVerifier({ apiKeys: keys, users: repositories.users, rateLimiter }, deps.apiKeys),
  };
}
