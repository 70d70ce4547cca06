import { bearer, openAPI } from 'better-auth/plugins';
import type { FastifyBaseLogger } from 'fastify';
import type { ResilientCacheService } from '@libs/database/cache';
import type { AppConfig } from '../config';
import type { Repositories } from '../repositories';

/** What the app's Better-Auth plugins are built from. */
export interface PluginDependencies {
  config: AppConfig;
  repositories: Repositories;
  cache: ResilientCacheService;
  logger: FastifyBaseLogger;
}

/**
 * The Better-Auth plugins the app runs: bearer tokens, the OpenAPI reference
 * (`/api/auth/reference`), and our own plugins (one folder each under `src/plugins/`).
 */
export function authPlugins(_deps: PluginDependencies) {
  return [bearer(), openAPI()];
}
