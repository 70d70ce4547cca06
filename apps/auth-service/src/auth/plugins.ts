import { bearer, openAPI } from 'better-auth/plugins';
import { apiKeyPlugin } from '../plugins/api-key';
import { rolesPlugin } from '../plugins/roles';
import type { PluginServices } from '../plugins/services';

/**
 * The Better-Auth plugins the app runs: bearer tokens, the OpenAPI reference
 * (`/api/auth/reference`), and our own plugins (one folder each under `src/plugins/`).
 */
export function authPlugins(services: PluginServices) {
  return [bearer(), openAPI(), apiKeyPlugin(services), rolesPlugin(services)];
}
