import type { Prisma } from '../../generated/prisma/client';
import { UserCreateInputSchema, UserUpdateInputSchema, userStatusSchema, type AuditLogEntry, type User, type UserCreateInput, type UserStatus, type UserUpdateInput } from '../../models';
import type { StatusChangeOptions, UpdateRoleOptions } from '../../postgress/repositories/user';
import type { UserStats, UserStatsOptions } from '../../postgress/repositories/userStats';
import { buildUser } from './builders';
import { InMemoryRepository } from './InMemoryRepository';
import type { IUserRepository } from '../../postgress/repositories/interfaces';

/** In-memory `UserRepository` for unit tests (soft delete, audit log and role expiry emulated). */
export class MockUserRepository extends InMemoryRepository<User, Prisma.UserWhereInput, UserCreateInput, UserUpdateInput> implements IUserRepository {
  constructor() {
    super({ name: 'user', uniques: [['email'], ['username']], build: buildUser, createSchema: UserCreateInputSchema, updateSchema: UserUpdateInputSchema, softDeleteField: 'isDeleted' });
  }

  #audit(user: User, entry: AuditLogEntry): AuditLogEntry[] {
    return [...((user.auditLog as unknown as AuditLogEntry[]) ?? []), entry];
  }

  #live(method: string, id: string): User {
    const user = this.rows.get(id);
    if (!user || user.isDeleted) throw this.notFound(method);
    return user;
  }

  override async update(id: string, data: UserUpdateInput): Promise<User> {
    const { status, ...rest } = data;
    const updated = await super.update(id, rest);
    if (status === undefined) return updated;
    await this.batchUpdateStatus([id], status, data.updatedBy ?? 'system', data.banReason ?? undefined);
    return structuredClone(this.rows.get(id) as User);
  }

  async findByEmail(email: string, options: { includeDeleted?: boolean } = {}): Promise<User | null> {
    this.track('findByEmail', [email, options]);
    return this.findFirst({ where: { email: email.trim().toLowerCase() }, includeDeleted: options.includeDeleted });
  }

  async findByUsername(username: string, options: { includeDeleted?: boolean } = {}): Promise<User | null> {
    this.track('findByUsername', [username, options]);
    return this.findFirst({ where: { username: username.trim().toLowerCase() }, includeDeleted: options.includeDeleted });
  }

  async findByRole(roleId: string): Promise<User[]> {
    return (await this.findMany({ where: { roleId } })).filter((u) => !u.roleExpiresAt || u.roleExpiresAt > new Date());
  }

  #adminChanges: Promise<void> = Promise.resolve();

  /** One at a time, like the advisory lock: each `fn` starts once the previous one settled; this fake's rows roll back when `fn` throws. */
  async withAdminChangeLock<R, O extends unknown[]>(others: [...O], fn: (users: this, ...bound: O) => Promise<R>): Promise<R> {
    this.track('withAdminChangeLock', []);
    const previous = this.#adminChanges;
    let release: () => void = () => undefined;
    this.#adminChanges = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await this.transactionWith(others, fn);
    } finally {
      release();
    }
  }

  async updateRole(userId: string, roleId: string | null, assignedBy: string, options: UpdateRoleOptions = {}): Promise<User> {
    this.track('updateRole', [userId, roleId, assignedBy, options]);
    const user = this.#live('updateRole', userId);
    const at = new Date();
    const entry: AuditLogEntry = { action: 'ROLE_CHANGED', at: at.toISOString(), by: assignedBy, from: user.roleId, to: roleId, ...(options.reason ? { reason: options.reason } : {}) };
    return this.patch('updateRole', userId, { roleId, roleAssignedAt: at, roleAssignedBy: assignedBy, roleExpiresAt: options.expiresAt ?? null, updatedBy: assignedBy, auditLog: this.#audit(user, entry) });
  }

  async batchUpdateStatus(userIds: string[], status: UserStatus, updatedBy: string, reasonOrOptions?: string | StatusChangeOptions): Promise<number> {
    this.track('batchUpdateStatus', [userIds, status, updatedBy, reasonOrOptions]);
    const options: StatusChangeOptions = typeof reasonOrOptions === 'string' ? { reason: reasonOrOptions } : (reasonOrOptions ?? {});
    const { reason, banExpiresAt = null } = options;
    const parsed = this.parse('batchUpdateStatus', userStatusSchema as never, status) as unknown as UserStatus;
    let n = 0;
    for (const id of userIds) {
      const user = this.rows.get(id);
      if (!user || user.isDeleted || user.status === parsed) continue;
      const banned = parsed === 'BANNED';
      const deleted = parsed === 'DELETED';
      const at = new Date();
      const entry: AuditLogEntry = { action: deleted ? 'SOFT_DELETED' : 'STATUS_CHANGED', at: at.toISOString(), by: updatedBy, ...(options.apiKeyId ? { apiKeyId: options.apiKeyId } : {}), from: user.status, to: parsed, ...(reason ? { reason } : {}) };
      this.patch('batchUpdateStatus', id, {
        status: parsed,
        updatedBy,
        bannedAt: banned ? at : null,
        banReason: banned ? (reason ?? null) : null,
        banExpiresAt: banned ? banExpiresAt : null,
        isDeleted: deleted,
        deletedAt: deleted ? at : null,
        deletedBy: deleted ? updatedBy : null,
        auditLog: this.#audit(user, entry),
      });
      n++;
    }
    return n;
  }

  async liftLapsedBan(userId: string, now = new Date()): Promise<boolean> {
    this.track('liftLapsedBan', [userId]);
    const user = this.rows.get(userId);
    if (!user || user.isDeleted || user.status !== 'BANNED' || !user.banExpiresAt || user.banExpiresAt > now) return false;
    const entry: AuditLogEntry = { action: 'BAN_LAPSED', at: now.toISOString(), by: 'system', from: 'BANNED', to: 'ACTIVE' };
    this.patch('liftLapsedBan', userId, { status: 'ACTIVE', bannedAt: null, banReason: null, banExpiresAt: null, updatedBy: 'system', auditLog: this.#audit(user, entry) });
    return true;
  }

  async softDelete(userId: string, deletedBy: string): Promise<User> {
    this.track('softDelete', [userId, deletedBy]);
    const user = this.#live('softDelete', userId);
    const entry: AuditLogEntry = { action: 'SOFT_DELETED', at: new Date().toISOString(), by: deletedBy, from: user.status, to: 'DELETED' };
    return this.patch('softDelete', userId, { isDeleted: true, deletedAt: new Date(), deletedBy, status: 'DELETED', updatedBy: deletedBy, auditLog: this.#audit(user, entry) });
  }

  async restore(userId: string, restoredBy: string): Promise<User> {
    this.track('restore', [userId, restoredBy]);
    const user = this.rows.get(userId);
    if (!user || !user.isDeleted) throw this.notFound('restore');
    const entry: AuditLogEntry = { action: 'RESTORED', at: new Date().toISOString(), by: restoredBy, from: 'DELETED', to: 'ACTIVE' };
    return this.patch('restore', userId, { isDeleted: false, deletedAt: null, deletedBy: null, status: 'ACTIVE', updatedBy: restoredBy, auditLog: this.#audit(user, entry) });
  }

  async updateLastLogin(userId: string): Promise<User> {
    this.track('updateLastLogin', [userId]);
    const user = this.#live('updateLastLogin', userId);
    return this.patch('updateLastLogin', userId, { lastLoginAt: new Date(), loginCount: user.loginCount + 1 });
  }

  async getUserStats(options: UserStatsOptions = {}): Promise<UserStats> {
    this.track('getUserStats', [options]);
    const days = options.newUsersDays ?? 30;
    const all = [...this.rows.values()];
    const live = all.filter((u) => !u.isDeleted);
    const byStatus: Record<UserStatus, number> = { ACTIVE: 0, BANNED: 0, INACTIVE: 0, DELETED: 0, PENDING: 0 };
    for (const u of all) byStatus[u.status]++;
    const byRole: Record<string, number> = {};
    for (const u of live) byRole[u.roleId ?? 'none'] = (byRole[u.roleId ?? 'none'] ?? 0) + 1;
    const since = Date.now() - days * 86_400_000;
    return { total: all.length, deleted: all.length - live.length, byStatus, byRole, newUsers: live.filter((u) => u.createdAt.getTime() >= since).length, newUsersDays: days };
  }
}
