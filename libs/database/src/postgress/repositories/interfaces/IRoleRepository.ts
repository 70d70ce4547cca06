import type { Prisma } from '../../../generated/prisma/client';
import type { Role, RoleCreateInput, RoleUpdateInput } from '../../../models';
import type { IRepository } from './IRepository';

/** Roles with a parent hierarchy and permission grants. */
export interface IRoleRepository extends IRepository<Role, Prisma.RoleWhereInput, RoleCreateInput, RoleUpdateInput> {
  setParent(id: string, parentRoleId: string | null): Promise<Role>;
  findByName(name: string): Promise<Role | null>;
  findChildren(roleId: string): Promise<Role[]>;
  addPermissions(roleId: string, permissions: string[], options?: { expiresAt?: Date }): Promise<Role>;
  removePermissions(roleId: string, permissions: string[]): Promise<Role>;
  /** The role's permissions and its ancestors'. */
  getEffectivePermissions(roleId: string): Promise<string[]>;
  getUserPermissions(userId: string): Promise<string[]>;
  hasPermission(roleId: string, permission: string): Promise<boolean>;
}
