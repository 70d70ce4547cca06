import type { BetterAuthPlugin } from 'better-auth';
import type { Repositories } from '../../repositories';
import type { AccessCore } from '../../access/AccessCore';
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
export function rolesPlugin(repositories: Pick<Repositories, 'roles' | 'users' | 'events'>, access: AccessCore, options: RolesPluginOptions = {}) {
  const permissions = { ...DEFAULT_ROLE_ADMIN_PERMISSIONS, ...options.adminPermissions };
  const deps = { roles: repositories.roles, users: repositories.users, events: repositories.events, permissions, access };
  return {
    id: 'roles',
    endpoints: { ...roleEndpoints(deps), ...assignmentEndpoints(deps) },
    $ERROR_CODES: ROLE_ERROR_CODES,
  } satisfies BetterAuthPlugin;
}

export type RolesPlugin = ReturnType<typeof rolesPlugin>;
