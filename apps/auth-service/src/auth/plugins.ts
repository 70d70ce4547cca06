import { passkey } from '@better-auth/passkey';
import { bearer, jwt, openAPI, organization, twoFactor } from 'better-auth/plugins';
import { apiKeyPlugin } from '@libs/better-auth';
import { rolesPlugin } from '@libs/better-auth';
import type { PluginServices } from '@libs/better-auth';
import type { OptionalAuthPlugin } from './authPluginsConfig';

export interface OptionalPluginOptions {
  /** `AUTH_PLUGINS`: which of Better-Auth's optional plugins run. */
  enabled: readonly OptionalAuthPlugin[];
  appName: string;
  /** The public base URL: the passkey relying party is its host, and its origin is expected. */
  baseURL: string;
  /** Further origins a passkey ceremony may come from (TRUSTED_ORIGINS). */
  trustedOrigins: readonly string[];
}

/** Better-Auth's optional plugins that `AUTH_PLUGINS` names; their tables are served through `Repositories.tables`. */
export function optionalPlugins(options: OptionalPluginOptions) {
  const on = new Set(options.enabled);
  const { origin, hostname } = new URL(options.baseURL);
  return [
    ...(on.has('two-factor') ? [twoFactor({ issuer: options.appName })] : []),
    ...(on.has('organization') ? [organization({ teams: { enabled: true } })] : []),
    ...(on.has('jwt') ? [jwt()] : []),
    ...(on.has('passkey') ? [passkey({ rpID: hostname, rpName: options.appName, origin: [origin, ...options.trustedOrigins] })] : []),
  ];
}

/**
 * The Better-Auth plugins the app runs: bearer tokens, the OpenAPI reference
 * (`/api/auth/reference`), our own plugins (one folder each under `src/features/betterAuth/`), and the
 * optional ones `AUTH_PLUGINS` turns on.
 */
export function authPlugins(services: PluginServices, optional: OptionalPluginOptions) {
  return [bearer(), openAPI(), apiKeyPlugin(services), rolesPlugin(services), ...optionalPlugins(optional)];
}
