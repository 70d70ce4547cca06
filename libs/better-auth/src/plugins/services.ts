import type { IApiKeyRepository } from '@libs/database/postgress/repositories';
import type { AccessCore } from '../access/AccessCore';
import type { Repositories } from '../repositories';
import { ApiKeyVerifier, type ApiKeyVerifierOptions } from './api-key/ApiKeyVerifier';
import { createPrincipalLimit, UNLIMITED, type PrincipalLimit, type PrincipalLimits } from '../access/principalLimit';
import type { RateLimiter } from './shared/RateLimiter';
import { createSessionGuards, type SessionGuards } from './shared/sessionGuard';

/** State the plugins share between Better-Auth (endpoints, hooks) and Fastify (routes, preHandlers). */
export interface PluginServices {
  repositories: Repositories;
  rateLimiter: RateLimiter;
  apiKeys: ApiKeyVerifier;
  /** Who is calling and what they may do. */
  access: AccessCore;
  /** Per-user / per-address budgets of authenticated callers: the guarded Fastify routes and the plugins' endpoints share it. */
  principalLimit: PrincipalLimit;
  /** The plugins' endpoint middlewares (a session, then `principalLimit`). */
  sessionGuards: SessionGuards;
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
  /** Budgets of authenticated callers (`principalLimitsOf(config)`); `null`: none (`AUTH_RATE_LIMIT=off`). @default null */
  principalLimits?: PrincipalLimits | null;
}

/** The plugin services of one app context, built once by the context. */
export function createPluginServices(deps: PluginServicesDependencies): PluginServices {
  const { repositories, rateLimiter, access } = deps;
  const keys = deps.validateApiKey
    ? { validate: deps.validateApiKey, expireSweep: () => repositories.apiKeys.expireSweep() }
    : repositories.apiKeys;
  const apiKeys = new ApiKeyVerifier({ apiKeys: keys, owners: access, rateLimiter }, deps.apiKeys);
  access.useKeyVerifier(apiKeys);
  const principalLimit = deps.principalLimits ? createPrincipalLimit(rateLimiter, deps.principalLimits) : UNLIMITED;
  return { repositories, rateLimiter, apiKeys, access, principalLimit, sessionGuards: createSessionGuards(principalLimit) };
}
