import { permissionGrants, type IRoleRepository, type IUserRepository } from '@libs/database/postgress/repositories';

export interface PermissionSources {
  roles: IRoleRepository;
  users: IUserRepository;
}

/**
 * A user's effective permissions now. The repository caches the permission list until a role
 * or the user changes, but time alone changes nothing in the cache: an assignment that expired
 * since the list was cached must stop granting, so the (cached, bus-invalidated) user row's
 * `roleExpiresAt` and status are checked on every call.
 */
export async function userPermissions(sources: PermissionSources, userId: string, now = Date.now()): Promise<string[]> {
  const user = await sources.users.findById(userId);
  if (!user || user.isDeleted || user.status !== 'ACTIVE' || !user.roleId) return [];
  if (user.roleExpiresAt && user.roleExpiresAt.getTime() <= now) return [];
  return sources.roles.getUserPermissions(userId);
}

export async function userHasPermission(sources: PermissionSources, userId: string, permission: string): Promise<boolean> {
  return permissionGrants(await userPermissions(sources, userId), permission);
}
