import type { Repositories } from '../repositories';
import { ApiKeyVerifier, type ApiKeyVerifierOptions } from './api-key/ApiKeyVerifier';
import type { PluginLogger } from './shared/logger';
import { RateLimiter } from './shared/RateLimiter';

/** State the plugins share between Better-Auth (endpoints, hooks) and Fastify (routes, preHandlers). */
export interface PluginServices {
  repositories: Repositories;
  rateLimiter: RateLimiter;
  apiKeys: ApiKeyVerifier;
  close(): Promise<void>;
}

/** Reads the Better-Auth session of a request's headers (cookie or bearer); null when none. */
export type SessionReader = (headers: Headers) => Promise<{ user: { id: string } } | null>;

/** What Fastify routes and preHandlers reach through `app.authPlugins`. */
export interface FastifyPluginServices extends PluginServices {
  readSession: SessionReader;
}

export interface PluginServicesDependencies {
  config: { REDIS_URL?: string };
  repositories: Repositories;
  logger?: PluginLogger;
  apiKeys?: ApiKeyVerifierOptions;
}

// One set per app context (keyed by its repositories): `authPlugins(deps)` and
// `registerPluginRoutes(app, context)` are called from different places with the same context.
const byRepositories = new WeakMap<Repositories, PluginServices>();

/** The plugin services of this app context, created on first use. */
export function pluginServices(deps: PluginServicesDependencies): PluginServices {
  const existing = byRepositories.get(deps.repositories);
  if (existing) return existing;
  const rateLimiter = new RateLimiter({ redis: deps.config.REDIS_URL, prefix: 'auth:ratelimit:', logger: deps.logger });
  const services: PluginServices = {
    repositories: deps.repositories,
    rateLimiter,
    apiKeys: new ApiKeyVerifier({ apiKeys: deps.repositories.apiKeys, users: deps.repositories.users, rateLimiter }, deps.apiKeys),
    close: async () => {
      byRepositories.delete(deps.repositories);
      await rateLimiter.close();
    },
  };
  byRepositories.set(deps.repositories, services);
  return services;
}

/** Closes the services of this context (its rate limiter's Redis connection); a no-op when none. */
export async function closePluginServices(repositories: Repositories): Promise<void> {
  await byRepositories.get(repositories)?.close();
}
