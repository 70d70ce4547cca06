import type { Prisma } from '../../generated/prisma/client';
import { RoleCreateInputSchema, RoleUpdateInputSchema, permissionStringSchema, type Role, type RoleCreateInput, type RoleUpdateInput } from '../../models';
import { RepositoryError } from '../../errors/RepositoryError';
import { BaseRepository } from './base';
import type { TransactionState } from './prismaTypes';
import { effectivePermissionsOfRole, effectivePermissionsOfUser, permissionGrants, wouldCreateCycle } from './roleQueries';
import type { RepositoryDependencies } from './types';
import { z } from 'zod';
import type { IRoleRepository } from './interfaces/IRoleRepository';

const permissionsCacheKey = (roleId: string) => `role:perms:${roleId}`;
const userPermissionsCacheKey = (userId: string) => `user:perms:${userId}`;
/** Every permission entry carries it: a role change can affect every descendant. */
const ROLES_TAG = 'roles';
// Serialises hierarchy changes so two concurrent re-parentings cannot form a cycle together.
const HIERARCHY_LOCK = 72_707_370;

const permissionListSchema = z.array(permissionStringSchema).max(256);

function splitPermission(permission: string): { permission: string; resource: string; action: string } {
  const [resource, action] = permission.split(':');
  return { permission, resource, action };
}

/**
 * Roles in a hierarchy (children inherit their ancestors' permissions) with cycle prevention,
 * effective permissions in one recursive query (cached, invalidated on any role change),
 * `version` bumped on every change, and role / permission expiry honoured.
 */
/** Cached permission lists need no reviving; one constant so the cache recognises it (see `cached`). */
const asPermissionList = (value: unknown): string[] => value as string[];

export class RoleRepository extends BaseRepository<Role, Prisma.RoleWhereInput, RoleCreateInput, RoleUpdateInput> implements IRoleRepository {
  constructor(deps: RepositoryDependencies, tx?: TransactionState) {
    super(deps, { model: 'role', updateSchema: RoleUpdateInputSchema }, tx);
  }

  protected override async onChanged(): Promise<void> {
    await this.deps.cache?.invalidateTags([ROLES_TAG]);
  }

  protected override async onBulkChanged(): Promise<void> {
    await this.deps.cache?.invalidateTags([ROLES_TAG]);
  }

  /** Creates a role with its permissions (`resource:action` strings) in one statement. */
  override async create(input: RoleCreateInput): Promise<Role> {
    const { permissions = [], ...data } = this.parse('create', RoleCreateInputSchema, input);
    const unique = [...new Set(permissions)];
    return super.create({ ...data, permissions: { create: unique.map(splitPermission) } } as unknown as RoleCreateInput);
  }

  /** Updates a role; a new `parentRoleId` is refused (VALIDATION) when it would form a cycle. Bumps `version`. */
  override async update(id: string, input: RoleUpdateInput): Promise<Role> {
    const data = this.parse('update', RoleUpdateInputSchema, input);
    const role = await this.transaction(async (repo) => {
      if (data.parentRoleId) {
        await repo.executeOperation('update.lock', () => repo.client.$executeRaw`SELECT pg_advisory_xact_lock(${HIERARCHY_LOCK})`);
        const cycle = await repo.executeOperation('update.cycleCheck', () => wouldCreateCycle(repo.client, id, data.parentRoleId as string));
        if (cycle) throw new RepositoryError('VALIDATION', 'role.update: the new parent would create a cycle', { operation: 'role.update', fields: ['parentRoleId'] });
      }
      return repo.executeOperation('update', () => repo.client.role.update({ where: { id }, data: { ...(data as Prisma.RoleUpdateInput), version: { increment: 1 } } }) as Promise<Role>);
    });
    await this.afterWrite(() => this.onChanged());
    return role;
  }

  /** Moves a role under another (or to the top with `null`). */
  setParent(id: string, parentRoleId: string | null): Promise<Role> {
    return this.update(id, { parentRoleId });
  }

  async findByName(name: string): Promise<Role | null> {
    return this.executeOperation('findByName', () => this.client.role.findUnique({ where: { name } }) as Promise<Role | null>);
  }

  async findChildren(roleId: string): Promise<Role[]> {
    return this.findMany({ where: { parentRoleId: roleId }, orderBy: { name: 'asc' } });
  }

  /** Adds permissions (existing ones are kept) and bumps the role's version. */
  async addPermissions(roleId: string, permissions: string[], options: { expiresAt?: Date } = {}): Promise<Role> {
    const list = [...new Set(this.parse('addPermissions', permissionListSchema, permissions))];
    const role = await this.transaction(async (repo) => {
      await repo.executeOperation('addPermissions', () =>
        repo.client.rolePermission.createMany({ data: list.map((p) => ({ roleId, ...splitPermission(p), expiresAt: options.expiresAt ?? null })), skipDuplicates: true }),
      );
      return repo.executeOperation('addPermissions.bump', () => repo.client.role.update({ where: { id: roleId }, data: { version: { increment: 1 } } }) as Promise<Role>);
    });
    await this.afterWrite(() => this.onChanged());
    return role;
  }

  async removePermissions(roleId: string, permissions: string[]): Promise<Role> {
    const list = this.parse('removePermissions', permissionListSchema, permissions);
    const role = await this.transaction(async (repo) => {
      await repo.executeOperation('removePermissions', () => repo.client.rolePermission.deleteMany({ where: { roleId, permission: { in: list } } }));
      return repo.executeOperation('removePermissions.bump', () => repo.client.role.update({ where: { id: roleId }, data: { version: { increment: 1 } } }) as Promise<Role>);
    });
    await this.afterWrite(() => this.onChanged());
    return role;
  }

  /** Permissions of a role and its ancestors (inactive or expired roles and permissions excluded). */
  async getEffectivePermissions(roleId: string): Promise<string[]> {
    return (
      (await this.cached(permissionsCacheKey(roleId), { resource: 'permissions', tags: [ROLES_TAG], revive: asPermissionList }, () =>
        this.executeOperation('getEffectivePermissions', () => effectivePermissionsOfRole(this.client, roleId)),
      )) ?? []
    );
  }

  /** A user's effective permissions, honouring the user's role expiry; one query. */
  async getUserPermissions(userId: string): Promise<string[]> {
    return (
      (await this.cached(userPermissionsCacheKey(userId), { resource: 'permissions', tags: [ROLES_TAG, `user:${userId}`], revive: asPermissionList }, () =>
        this.executeOperation('getUserPermissions', () => effectivePermissionsOfUser(this.client, userId)),
      )) ?? []
    );
  }

  /** True when the role's effective permissions grant `permission` (wildcards `res:*`, `*:*`). */
  async hasPermission(roleId: string, permission: string): Promise<boolean> {
    return permissionGrants(await this.getEffectivePermissions(roleId), permission);
  }
}
