import type { BetterAuthPlugin } from 'better-auth';
import type { PluginServices } from '../services';
import { assignmentEndpoints } from './assignment';
import { roleEndpoints } from './endpoints';
import { ROLE_ERROR_CODES } from './error-codes';
import { DEFAULT_ROLE_ADMIN_PERMISSIONS, type RoleAdminPermissions } from './guard';

export interface RolesPluginOptions {
  /** Permissions the plugin's admin endpoints require. @default DEFAULT_ROLE_ADMIN_PERMISSIONS */
  adminPermissions?: Partial<RoleAdminPermissions>;
}

/**
 * Hierarchical roles on our `RoleRepository` / `UserRepository`: roles with parent, category,
 * level and `resource:action` permissions (inherited from ancestors, cycles refused, version
 * bumped), role assignment with expiry, and permission checks — every decision the access core's.
 * Admin endpoints are guarded by permissions themselves; the first admin comes from the bootstrap.
 */
export function rolesPlugin(services: Pick<PluginServices, 'repositories' | 'access' | 'sessionGuards'>, options: RolesPluginOptions = {}) {
  const permissions = { ...DEFAULT_ROLE_ADMIN_PERMISSIONS, ...options.adminPermissions };
  const { repositories, access, sessionGuards: guards } = services;
  const deps = { roles: repositories.roles, users: repositories.users, events: repositories.events, permissions, access, guards };
  return {
    id: 'roles',
    endpoints: { ...roleEndpoints(deps), ...assignmentEndpoints(deps) },
    $ERROR_CODES: ROLE_ERROR_CODES,
  } satisfies BetterAuthPlugin;
}

export type RolesPlugin = ReturnType<typeof rolesPlugin>;
