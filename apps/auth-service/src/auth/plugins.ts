import { bearer, openAPI } from 'better-auth/plugins';
import { apiKeyPlugin } from '@libs/better-auth';
import { rolesPlugin } from '@libs/better-auth';
import type { PluginServices } from '@libs/better-auth';

/**
 * The Better-Auth plugins the app runs: bearer tokens, the OpenAPI reference
 * (`/api/auth/reference`), and our own plugins (one folder each under `src/plugins/`).
 */
export function authPlugins(services: PluginServices) {
  return [bearer(), openAPI(), apiKeyPlugin(services), rolesPlugin(services.repositories, services.access)];
}
