import type { User } from '@libs/database/models';
import type { IRoleRepository, IUserRepository } from '@libs/database/postgress/repositories';
import { isAdminRole } from './authority';
import { canAct, canActWhere } from './canAct';

/**
 * Who the system administrators are, decided here for the bootstrap and for LAST_ADMIN alike.
 * A **system admin role** is a system role that is active, has not expired (`Role.isActive`,
 * `Role.expiresAt`) and whose live chain grants `*:*` unconditionally (`getEffectiveGrants`: an
 * expired `*:*` row or a dead ancestor does not count). A **system administrator** is a user who
 * can act now (`canAct`) and holds such a role through a live assignment (`User.roleExpiresAt`
 * unset or in the future).
 *
 * A **permanent** one holds an admin role with no expiry through an assignment with no expiry:
 * LAST_ADMIN keeps the last of those (see lastAdmin.ts), so an admin whose grant runs out later
 * does not stand in for one that stays.
 */
export interface SystemAdminReads {
  roles: Pick<IRoleRepository, 'findMany' | 'getEffectiveGrants'>;
  users: Pick<IUserRepository, 'count'>;
}

/** Count only admin roles and assignments with no expiry. */
export interface PermanenceOption {
  permanent?: boolean;
}

/** The system admin roles live at `now`, each marked permanent when it has no expiry. */
export async function liveAdminRoles(roles: SystemAdminReads['roles'], now: number): Promise<Array<{ id: string; permanent: boolean }>> {
  const system = await roles.findMany({ where: { isSystem: true, isActive: true } });
  const live = system.filter((r) => !r.expiresAt || r.expiresAt.getTime() > now);
  const admin = await Promise.all(live.map(async (r) => (isAdminRole(r, await roles.getEffectiveGrants(r.id)) ? { id: r.id, permanent: !r.expiresAt } : null)));
  return admin.filter((role): role is { id: string; permanent: boolean } => role !== null);
}

/** The ids of the system admin roles live at `now`. */
export async function liveAdminRoleIds(roles: SystemAdminReads['roles'], now: number): Promise<string[]> {
  return (await liveAdminRoles(roles, now)).map((r) => r.id);
}

/** The user holds one of `adminRoleIds` through a live assignment and can act at `now`. */
export function isLiveAdmin(user: Pick<User, 'roleId' | 'roleExpiresAt' | 'status' | 'isDeleted' | 'banExpiresAt'>, adminRoleIds: readonly string[], now: number): boolean {
  return !!user.roleId && adminRoleIds.includes(user.roleId) && (!user.roleExpiresAt || user.roleExpiresAt.getTime() > now) && canAct(user, now).ok;
}

export interface AdminCountExclusions extends PermanenceOption {
  /** Count as if these users held no admin role. */
  exceptUserIds?: readonly string[];
  /** Count as if this role were no admin role. */
  exceptRoleId?: string;
}

/** How many system administrators there are at `now` (as `isLiveAdmin` decides, in one query; `permanent`: only those with no expiry), optionally leaving some out. */
export async function countLiveAdmins(users: SystemAdminReads['users'], adminRoleIds: readonly string[], now: number, except: AdminCountExclusions = {}): Promise<number> {
  const roleIds = adminRoleIds.filter((id) => id !== except.exceptRoleId);
  if (roleIds.length === 0) return 0;
  const at = new Date(now);
  return users.count({
    roleId: { in: roleIds },
    ...(except.exceptUserIds ? { id: { notIn: [...except.exceptUserIds] } } : {}),
    AND: [canActWhere(at), except.permanent ? { roleExpiresAt: null } : { OR: [{ roleExpiresAt: null }, { roleExpiresAt: { gt: at } }] }],
  });
}
