import type { BetterAuthClientPlugin } from 'better-auth/client';
import type { RolesPlugin } from './index';
import { ROLE_ERROR_CODES } from './error-codes';

/** Client side of the roles plugin: `authClient.roles.create / update / assign / hasPermission …`. */
export function rolesClient() {
  return {
    id: 'roles',
    $InferServerPlugin: {} as RolesPlugin,
    pathMethods: { '/roles/list': 'GET', '/roles/get': 'GET', '/roles/my-permissions': 'GET' },
    $ERROR_CODES: ROLE_ERROR_CODES,
  } satisfies BetterAuthClientPlugin;
}
