import { bearer, openAPI } from 'better-auth/plugins';
import type { FastifyBaseLogger } from 'fastify';
import type { ResilientCacheService } from '@libs/database/cache';
import type { AppConfig } from '../config';
import type { Repositories } from '../repositories';
import { apiKeyPlugin } from '../plugins/api-key';
import { pluginServices } from '../plugins/services';
import { rolesPlugin } from '../plugins/roles';

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
export function authPlugins(deps: PluginDependencies) {
  const services = pluginServices({ config: deps.config, repositories: deps.repositories, logger: deps.logger });
  return [bearer(), openAPI(), apiKeyPlugin(services), rolesPlugin(deps.repositories)];
}
