import type { BetterAuthClientPlugin } from 'better-auth/client';
import type { ApiKeyPlugin } from './index';
import { API_KEY_ERROR_CODES } from './error-codes';

/**
 * Client side of the API-key plugin: `authClient.apiKey.create / get / list / update /
 * revoke / rotate / delete / verify`, typed from the server plugin.
 */
export function apiKeyClient() {
  return {
    id: 'api-key',
    $InferServerPlugin: {} as ApiKeyPlugin,
    pathMethods: { '/api-key/list': 'GET', '/api-key/get': 'GET', '/api-key/delete': 'POST' },
    $ERROR_CODES: API_KEY_ERROR_CODES,
  } satisfies BetterAuthClientPlugin;
}
