import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client';
import {
  RoleCreateInputSchema,
  RoleUpdateInputSchema,
  permissionEntrySchema,
  type PermissionEntry,
  type PermissionGrant,
  type Role,
  type RoleCreateInput,
  type RolePermission,
  type RoleUpdateInput,
} from '../../models';
import { RepositoryError } from '../../errors/RepositoryError';
import { buildRole } from './builders';
import { InMemoryRepository } from './InMemoryRepository';
import type { IRoleRepository } from '../../postgress/repositories/interfaces';

const live = (r: { isActive: boolean; expiresAt: Date | null } | undefined) => !!r && r.isActive && (!r.expiresAt || r.expiresAt > new Date());

/** In-memory `RoleRepository` for unit tests: hierarchy, cycle checks, inherited permissions. */
export class MockRoleRepository extends InMemoryRepository<Role, Prisma.RoleWhereInput, RoleCreateInput, RoleUpdateInput> implements IRoleRepository {
  readonly permissions: RolePermission[] = [];
  /** Users' role assignments the fake resolves in `getUserPermissions` (set by tests). */
  readonly userRoles = new Map<string, { roleId: string; expiresAt?: Date | null }>();

  constructor() {
    super({ name: 'role', uniques: [['name']], build: buildRole, updateSchema: RoleUpdateInputSchema });
  }

  #grant(roleId: string, entry: PermissionEntry, expiresAt: Date | null = null): void {
    const result = permissionEntrySchema.safeParse(entry);
    if (!result.success) throw new RepositoryError('VALIDATION', `role.addPermissions: ${result.error.issues[0]?.message}`, { operation: 'role.addPermissions' });
    const { permission, conditions = null } = typeof result.data === 'string' ? { permission: result.data } : result.data;
    if (this.permissions.some((p) => p.roleId === roleId && p.permission === permission)) return;
    const [resource, action] = permission.split(':');
    this.permissions.push({ id: randomUUID(), roleId, permission, resource, action, conditions: (conditions ?? null) as RolePermission['conditions'], expiresAt, createdAt: new Date() });
  }

  override async create(input: RoleCreateInput): Promise<Role> {
    this.track('create', [input]);
    const { permissions = [], ...data } = this.parse('create', RoleCreateInputSchema, input);
    const role = this.insert('create', data);
    for (const p of permissions as PermissionEntry[]) this.#grant(role.id, p);
    return role;
  }

  override async update(id: string, input: RoleUpdateInput): Promise<Role> {
    this.track('update', [id, input]);
    const data = this.parse('update', RoleUpdateInputSchema, input);
    const parent = data['parentRoleId'] as string | null | undefined;
    if (parent) {
      for (let at: string | null = parent, depth = 0; at && depth < 32; at = this.rows.get(at)?.parentRoleId ?? null, depth++) {
        if (at === id) throw new RepositoryError('VALIDATION', 'role.update: the new parent would create a cycle', { operation: 'role.update', fields: ['parentRoleId'] });
      }
    }
    const current = this.rows.get(id);
    if (!current) throw this.notFound('update');
    return this.patch('update', id, { ...data, version: current.version + 1 });
  }

  setParent(id: string, parentRoleId: string | null): Promise<Role> {
    return this.update(id, { parentRoleId });
  }

  async findByName(name: string): Promise<Role | null> {
    return this.findFirst({ where: { name } });
  }

  async findChildren(roleId: string): Promise<Role[]> {
    return this.findMany({ where: { parentRoleId: roleId }, orderBy: { name: 'asc' } });
  }

  async addPermissions(roleId: string, permissions: PermissionEntry[], options: { expiresAt?: Date } = {}): Promise<Role> {
    const role = this.rows.get(roleId);
    if (!role) throw this.notFound('addPermissions');
    for (const p of permissions) this.#grant(roleId, p, options.expiresAt ?? null);
    return this.patch('addPermissions', roleId, { version: role.version + 1 });
  }

  async removePermissions(roleId: string, permissions: string[]): Promise<Role> {
    const role = this.rows.get(roleId);
    if (!role) throw this.notFound('removePermissions');
    for (let i = this.permissions.length - 1; i >= 0; i--) if (this.permissions[i].roleId === roleId && permissions.includes(this.permissions[i].permission)) this.permissions.splice(i, 1);
    return this.patch('removePermissions', roleId, { version: role.version + 1 });
  }

  async getEffectiveGrants(roleId: string): Promise<PermissionGrant[]> {
    this.track('getEffectiveGrants', [roleId]);
    const chain: string[] = [];
    for (let at: string | null = roleId; at && live(this.rows.get(at)) && chain.length < 32; at = this.rows.get(at)?.parentRoleId ?? null) chain.push(at);
    return this.grantsOf(chain);
  }

  async getAuthorityGrants(roleId: string, options: { parentRoleId?: string | null } = {}): Promise<PermissionGrant[]> {
    this.track('getAuthorityGrants', [roleId]);
    const chain: string[] = [roleId];
    const start = options.parentRoleId === undefined ? (this.rows.get(roleId)?.parentRoleId ?? null) : options.parentRoleId;
    for (let at: string | null = start; at && this.rows.has(at) && chain.length < 32; at = this.rows.get(at)?.parentRoleId ?? null) chain.push(at);
    return this.grantsOf(chain);
  }

  private grantsOf(chain: string[]): PermissionGrant[] {
    const now = new Date();
    const rows = this.permissions.filter((p) => chain.includes(p.roleId) && (!p.expiresAt || p.expiresAt > now));
    const unconditional = new Set(rows.filter((p) => !p.conditions).map((p) => p.permission));
    const grants: PermissionGrant[] = [...unconditional].map((permission) => ({ permission, conditions: null }));
    for (const p of rows) if (p.conditions && !unconditional.has(p.permission)) grants.push({ permission: p.permission, conditions: p.conditions as PermissionGrant['conditions'] });
    return grants.sort((a, b) => a.permission.localeCompare(b.permission));
  }

  async getEffectivePermissions(roleId: string): Promise<string[]> {
    return [...new Set((await this.getEffectiveGrants(roleId)).map((g) => g.permission))];
  }

  async getUserGrants(userId: string): Promise<PermissionGrant[]> {
    const assignment = this.userRoles.get(userId);
    if (!assignment || (assignment.expiresAt && assignment.expiresAt <= new Date())) return [];
    return this.getEffectiveGrants(assignment.roleId);
  }

  async getUserPermissions(userId: string): Promise<string[]> {
    return [...new Set((await this.getUserGrants(userId)).map((g) => g.permission))];
  }
}
