import type { Prisma } from '../../../generated/prisma/client';
import type { PermissionEntry, PermissionGrant, Role, RoleCreateInput, RoleUpdateInput } from '../../../models';
import type { IRepository } from './IRepository';

/** Roles with a parent hierarchy and permission grants. */
export interface IRoleRepository extends IRepository<Role, Prisma.RoleWhereInput, RoleCreateInput, RoleUpdateInput> {
  setParent(id: string, parentRoleId: string | null): Promise<Role>;
  findByName(name: string): Promise<Role | null>;
  findChildren(roleId: string): Promise<Role[]>;
  addPermissions(roleId: string, permissions: PermissionEntry[], options?: { expiresAt?: Date }): Promise<Role>;
  removePermissions(roleId: string, permissions: string[]): Promise<Role>;
  /** The role's permissions and its ancestors'. */
  /** A role's grants with their conditions (`null`: unconditional). */
  getEffectiveGrants(roleId: string): Promise<PermissionGrant[]>;
  getEffectivePermissions(roleId: string): Promise<string[]>;
  /** What the role would grant whatever its and its ancestors' isActive / expiresAt say; `parentRoleId`: under that parent instead. */
  getAuthorityGrants(roleId: string, options?: { parentRoleId?: string | null }): Promise<PermissionGrant[]>;
  /** A user's grants through their role; whether the user may act is the caller's decision. */
  getUserGrants(userId: string): Promise<PermissionGrant[]>;
  getUserPermissions(userId: string): Promise<string[]>;
}
