import type { Prisma } from '../../generated/prisma/client';
import {
  RoleCreateInputSchema,
  RoleUpdateInputSchema,
  permissionEntrySchema,
  type PermissionEntry,
  type PermissionGrant,
  type Role,
  type RoleCreateInput,
  type RoleUpdateInput,
} from '../../models';
import { RepositoryError } from '../../errors/RepositoryError';
import { ADVISORY_LOCKS } from './advisoryLocks';
import { BaseRepository } from './base';
import type { CacheChange } from '../../cache/invalidationEvent';
import { cacheTags } from './cacheTags';
import type { TransactionState } from './prismaTypes';
import { authorityGrantsOfRole, effectiveGrantsOfRole, effectiveGrantsOfUser, wouldCreateCycle } from './roleQueries';
import type { RepositoryDependencies } from './types';
import { z } from 'zod';
import type { IRoleRepository } from './interfaces/IRoleRepository';

const permissionsCacheKey = (roleId: string) => `role:perms:${roleId}`;
const userPermissionsCacheKey = (userId: string) => `user:perms:${userId}`;
/** Every permission entry carries it: a role change can affect every descendant. */
const ROLES_TAG = cacheTags.roles;
/** Any role or permission write: every cached grant list may be wrong. */
const ROLES_CHANGED: CacheChange = { events: [{ kind: 'roles-changed' }], tags: [ROLES_TAG] };

const permissionListSchema = z.array(permissionEntrySchema).max(256);

/** A written entry as a `RolePermission` row (conditions as validated JSON, or SQL NULL). */
function permissionRow(entry: PermissionEntry): { permission: string; resource: string; action: string; conditions?: Prisma.InputJsonValue } {
  const { permission, conditions } = typeof entry === 'string' ? { permission: entry, conditions: null } : entry;
  const [resource, action] = permission.split(':');
  return { permission, resource, action, ...(conditions ? { conditions: conditions as Prisma.InputJsonValue } : {}) };
}

/** One row per permission (the last entry of a permission wins). */
function uniqueRows(entries: readonly PermissionEntry[]) {
  return [...new Map(entries.map((e) => permissionRow(e)).map((row) => [row.permission, row])).values()];
}

const names = (grants: PermissionGrant[]) => [...new Set(grants.map((g) => g.permission))];

/**
 * Roles in a hierarchy (children inherit their ancestors' permissions) with cycle prevention,
 * effective permissions in one recursive query (cached, invalidated on any role change),
 * `version` bumped on every change, and role / permission expiry honoured.
 */
/** Cached grant lists need no reviving; one constant so the cache recognises it (see `cached`). */
const asGrantList = (value: unknown): PermissionGrant[] => value as PermissionGrant[];

export class RoleRepository extends BaseRepository<Role, Prisma.RoleWhereInput, RoleCreateInput, RoleUpdateInput> implements IRoleRepository {
  constructor(deps: RepositoryDependencies, tx?: TransactionState) {
    super(deps, { model: 'role', announces: true, updateSchema: RoleUpdateInputSchema }, tx);
  }

  protected override async onChanged(): Promise<void> {
    await this.announce(ROLES_CHANGED);
  }

  protected override async onBulkChanged(): Promise<void> {
    await this.announce(ROLES_CHANGED);
  }

  /** Creates a role with its permissions (`resource:action` strings) in one statement. */
  override async create(input: RoleCreateInput): Promise<Role> {
    const { permissions = [], ...data } = this.parse('create', RoleCreateInputSchema, input);
    return super.create({ ...data, permissions: { create: uniqueRows(permissions) } } as unknown as RoleCreateInput);
  }

  /** Updates a role; a new `parentRoleId` is refused (VALIDATION) when it would form a cycle. Bumps `version`. */
  override async update(id: string, input: RoleUpdateInput): Promise<Role> {
    const data = this.parse('update', RoleUpdateInputSchema, input);
    const role = await this.transaction(async (repo) => {
      if (data.parentRoleId) {
        await repo.executeOperation('update.lock', () => repo.client.$executeRaw`SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.roleHierarchy})`);
        const cycle = await repo.executeOperation('update.cycleCheck', () => wouldCreateCycle(repo.client, id, data.parentRoleId as string));
        if (cycle) throw new RepositoryError('VALIDATION', 'role.update: the new parent would create a cycle', { operation: 'role.update', fields: ['parentRoleId'] });
      }
      const row = await repo.executeOperation('update', () => repo.client.role.update({ where: { id }, data: { ...(data as Prisma.RoleUpdateInput), version: { increment: 1 } } }) as Promise<Role>);
      await repo.afterWrite(() => repo.onChanged());
      return row;
    });
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

  /**
   * Adds permissions — plain `resource:action` strings or `{ permission, conditions }` (see
   * `permissionConditionsSchema`; unknown conditions are refused with VALIDATION) — and bumps the
   * role's version. A permission the role already has keeps its row.
   */
  async addPermissions(roleId: string, permissions: PermissionEntry[], options: { expiresAt?: Date } = {}): Promise<Role> {
    const rows = uniqueRows(this.parse('addPermissions', permissionListSchema, permissions));
    const role = await this.transaction(async (repo) => {
      await repo.executeOperation('addPermissions', () =>
        repo.client.rolePermission.createMany({ data: rows.map((row) => ({ roleId, ...row, expiresAt: options.expiresAt ?? null })), skipDuplicates: true }),
      );
      const row = await repo.executeOperation('addPermissions.bump', () => repo.client.role.update({ where: { id: roleId }, data: { version: { increment: 1 } } }) as Promise<Role>);
      await repo.afterWrite(() => repo.onChanged());
      return row;
    });
    return role;
  }

  async removePermissions(roleId: string, permissions: string[]): Promise<Role> {
    const list = this.parse('removePermissions', permissionListSchema, permissions).map((e) => (typeof e === 'string' ? e : e.permission));
    const role = await this.transaction(async (repo) => {
      await repo.executeOperation('removePermissions', () => repo.client.rolePermission.deleteMany({ where: { roleId, permission: { in: list } } }));
      const row = await repo.executeOperation('removePermissions.bump', () => repo.client.role.update({ where: { id: roleId }, data: { version: { increment: 1 } } }) as Promise<Role>);
      await repo.afterWrite(() => repo.onChanged());
      return row;
    });
    return role;
  }

  /** Grants of a role and its ancestors (inactive or expired roles and permissions excluded), with their conditions. */
  async getEffectiveGrants(roleId: string): Promise<PermissionGrant[]> {
    return (
      (await this.cached(permissionsCacheKey(roleId), { resource: 'permissions', tags: [ROLES_TAG], revive: asGrantList }, () =>
        this.executeOperation('getEffectiveGrants', () => effectiveGrantsOfRole(this.client, roleId)),
      )) ?? []
    );
  }

  /**
   * What the role would grant however its (and its ancestors') active flag and expiry stand, read
   * from the primary, never cached: escalation checks compare it. `parentRoleId`: as it would be
   * under that parent (`null`: none).
   */
  async getAuthorityGrants(roleId: string, options: { parentRoleId?: string | null } = {}): Promise<PermissionGrant[]> {
    return this.executeOperation('getAuthorityGrants', () => authorityGrantsOfRole(this.client, roleId, options.parentRoleId));
  }

  /** Names of the role's effective permissions, conditional ones included. */
  async getEffectivePermissions(roleId: string): Promise<string[]> {
    return names(await this.getEffectiveGrants(roleId));
  }

  /**
   * A user's grants through their role (an expired assignment grants nothing); one query, cached
   * until a role or the user changes. Whether the user may act at all is the caller's decision.
   */
  async getUserGrants(userId: string): Promise<PermissionGrant[]> {
    return (
      (await this.cached(userPermissionsCacheKey(userId), { resource: 'permissions', tags: [ROLES_TAG, cacheTags.user(userId)], revive: asGrantList }, () =>
        this.executeOperation('getUserGrants', () => effectiveGrantsOfUser(this.client, userId)),
      )) ?? []
    );
  }

  /** Names of the user's effective permissions, conditional ones included. */
  async getUserPermissions(userId: string): Promise<string[]> {
    return names(await this.getUserGrants(userId));
  }
}
