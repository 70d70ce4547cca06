import type { AccessCore } from '../access/AccessCore';
import type { Repositories } from '../repositories';
import type { ApiKeyVerifier } from './api-key/ApiKeyVerifier';
import { createPrincipalLimit, UNLIMITED, type PrincipalLimit, type PrincipalLimits } from '../access/principalLimit';
import type { RateLimiter } from './shared/RateLimiter';
import { createSessionGuards, type ClientAddressResolver, type SessionGuards } from './shared/sessionGuard';

/** State the plugins share between Better-Auth (endpoints, hooks) and Fastify (routes, preHandlers). */
export interface PluginServices {
  repositories: Repositories;
  rateLimiter: RateLimiter;
  /** The access core's key verifier (`access.keys`). */
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
  /** The app's access core, built with its key verifier (`createAccessCore(…, { rateLimiter })`). */
  access: AccessCore;
  /** Budgets of authenticated callers (`principalLimitsOf(config)`); `null`: none (`AUTH_RATE_LIMIT=off`). @default null */
  principalLimits?: PrincipalLimits | null;
  /**
   * The client address of a plugin endpoint's request (its per-address budget), the same answer
   * the app's own routes use. @default Better-Auth's `advanced.ipAddress` headers (`clientAddressOf`)
   */
  clientAddress?: ClientAddressResolver;
}

/** The plugin services of one app context, built once by the context. */
export function createPluginServices(deps: PluginServicesDependencies): PluginServices {
  const { repositories, rateLimiter, access } = deps;
  const principalLimit = deps.principalLimits ? createPrincipalLimit(rateLimiter, deps.principalLimits) : UNLIMITED;
  return { repositories, rateLimiter, apiKeys: access.keys, access, principalLimit, sessionGuards: createSessionGuards(principalLimit, deps.clientAddress) };
}
