import type { PermissionGrant, Role, User } from '@libs/database/models';
import type { IRoleRepository, IUserRepository } from '@libs/database/postgress/repositories';
import { ALL_PERMISSIONS, holdsEverything, isAdminRole, leavesNoAdmin } from './authority';
import type { RoleChange, UserAction } from './authorityCheck';
import { countLiveAdmins, liveAdminRoles, type AdminCountExclusions } from './systemAdmins';

/**
 * LAST_ADMIN, decided in one place: a change may not take away the last system administrator
 * (systemAdmins.ts says who they are). The authority rule asks it before anything is written;
 * `AccessCore.writeKeepingAnAdmin` asks it again inside the admin-change lock, on what is
 * committed by then, and writes in the same transaction.
 */
export interface LastAdminReads {
  roles: Pick<IRoleRepository, 'findMany' | 'getEffectiveGrants' | 'getAuthorityGrants'>;
  users: Pick<IUserRepository, 'findMany' | 'count'>;
}

/** A change that could take a system administrator away. */
export type AdminChange = { userAction: UserAction } | { roleChange: RoleChange };

/**
 * Whether the change could take a system administrator away, by its shape alone (no reads):
 * disabling users (ban, deactivate, delete) or changing their role, and deactivating, expiring,
 * re-parenting or removing permissions of a system role (only system roles are admin roles).
 * These run under the admin-change lock; anything else cannot remove an admin.
 */
export function mayRemoveAdmin(change: AdminChange): boolean {
  if ('userAction' in change) {
    const { userIds, disables, assigns } = change.userAction;
    return userIds.length > 0 && (!!disables || !!assigns);
  }
  const { role, disables, parentRoleId, removes } = change.roleChange;
  return !!role?.isSystem && (!!disables || parentRoleId !== undefined || (removes?.length ?? 0) > 0);
}

/** LAST_ADMIN for users acted on: `targets` as read (deleted ones included), or read here. */
export async function userActionLeavesNoAdmin(reads: LastAdminReads, action: UserAction, now: number, targets?: readonly User[]): Promise<boolean> {
  if (action.userIds.length === 0 || !(action.disables || action.assigns)) return false;
  const givenId = action.assigns?.roleId;
  let acted = targets;
  return leavesNone(reads, now, { exceptUserIds: action.userIds }, async (adminIds, permanent) => {
    // Given an admin role for good (and, counting permanent admins, a role that does not expire), a target stays an admin.
    if (!action.disables && !!givenId && adminIds.includes(givenId) && !action.assigns?.expiresAt) return false;
    acted ??= await reads.users.findMany({ where: { id: { in: [...action.userIds] } }, includeDeleted: true });
    return acted.some((t) => t.roleId && adminIds.includes(t.roleId) && (!permanent || !t.roleExpiresAt));
  });
}

/**
 * LAST_ADMIN for a role change: `after` is the role's authority once changed (its grants under
 * the new parent, plus any added); computed here when not given.
 */
export async function roleChangeLeavesNoAdmin(reads: LastAdminReads, change: RoleChange, now: number, after?: readonly PermissionGrant[]): Promise<boolean> {
  const { role } = change;
  if (!role) return false;
  return leavesNone(reads, now, { exceptRoleId: role.id }, async (adminIds) => {
    if (!adminIds.includes(role.id)) return false;
    const grants = after ?? [...(await reads.roles.getAuthorityGrants(role.id, change.parentRoleId !== undefined ? { parentRoleId: change.parentRoleId } : {})), ...(change.adds ?? [])];
    return !(await staysAdmin(reads, role, grants, change));
  });
}

/**
 * Whether a change that `removes` admins (asked per way of counting them) leaves none. The last
 * **permanent** administrator (role and assignment without expiry) stays, so an admin whose grant
 * runs out later cannot let the last permanent one go; only when there is no permanent admin at
 * all is the last live one kept instead.
 */
async function leavesNone(reads: LastAdminReads, now: number, except: AdminCountExclusions, removes: (adminRoleIds: string[], permanent: boolean) => Promise<boolean>): Promise<boolean> {
  // Read the admin roles once; the permanent ones are those among them without an expiry.
  const adminRoles = await liveAdminRoles(reads.roles, now);
  for (const permanent of [true, false]) {
    const adminIds = adminRoles.filter((r) => !permanent || r.permanent).map((r) => r.id);
    const before = await countLiveAdmins(reads.users, adminIds, now, { permanent });
    if (permanent && before === 0) continue;
    if (!(await removes(adminIds, permanent))) return false;
    return leavesNoAdmin(before, await countLiveAdmins(reads.users, adminIds, now, { ...except, permanent }));
  }
  return false;
}

/** LAST_ADMIN for either kind of change. */
export function changeLeavesNoAdmin(reads: LastAdminReads, change: AdminChange, now: number): Promise<boolean> {
  return 'userAction' in change ? userActionLeavesNoAdmin(reads, change.userAction, now) : roleChangeLeavesNoAdmin(reads, change.roleChange, now);
}

/** After the change the role is still a live system admin role (it keeps `*:*`, active, no expiry). */
async function staysAdmin(reads: LastAdminReads, role: Role, after: readonly PermissionGrant[], change: RoleChange): Promise<boolean> {
  if (change.disables || !isAdminRole(role, after)) return false;
  if (!change.removes?.includes(ALL_PERMISSIONS)) return true;
  // Its own `*:*` goes: it stays admin only when its parent chain grants `*:*` as well.
  const parentId = change.parentRoleId !== undefined ? change.parentRoleId : role.parentRoleId;
  return !!parentId && holdsEverything(await reads.roles.getAuthorityGrants(parentId));
}
