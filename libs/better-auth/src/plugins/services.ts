import type { IApiKeyRepository } from '@libs/database/postgress/repositories';
import type { AccessCore } from '../access/AccessCore';
import type { Repositories } from '../repositories';
import { ApiKeyVerifier, type ApiKeyVerifierOptions } from './api-key/ApiKeyVerifier';
import type { RateLimiter } from './shared/RateLimiter';

/** State the plugins share between Better-Auth (endpoints, hooks) and Fastify (routes, preHandlers). */
export interface PluginServices {
  repositories: Repositories;
  rateLimiter: RateLimiter;
  apiKeys: ApiKeyVerifier;
  /** Who is calling and what they may do. */
  access: AccessCore;
}

export interface PluginServicesDependencies {
  repositories: Repositories;
  /** Shared with Better-Auth's own limits; owned (and closed) by the app context. */
  rateLimiter: RateLimiter;
  /** The app's access core; the key verifier built here asks it whether a key's owner may act. */
  access: AccessCore;
  /** Key validation (the data layer's `validateApiKeyWithRetry`). @default the repository's `validate` */
  validateApiKey?: IApiKeyRepository['validate'];
  apiKeys?: ApiKeyVerifierOptions;
}

/** The plugin services of one app context, built once by the context. */
export function createPluginServices(deps: PluginServicesDependencies): PluginServices {
  const { repositories, rateLimiter, access } = deps;
  const keys = deps.validateApiKey
    ? { validate: deps.validateApiKey, expireSweep: () => repositories.apiKeys.expireSweep() }
    : repositories.apiKeys;
  const apiKeys = new ApiKeyVerifier({ apiKeys: keys, owners: access, rateLimiter }, deps.apiKeys);
  access.useKeyVerifier(apiKeys);
  return { repositories, rateLimiter, apiKeys, access };
}
