import type { Prisma } from '../../generated/prisma/client';
import {
  reviveUser,
  UserCreateInputSchema,
  UserStatus,
  userStatusSchema,
  UserUpdateInputSchema,
  type User,
  type UserCreateInput,
  type UserUpdateInput,
} from '../../models';
import { RepositoryError } from '../../errors/RepositoryError';
import { ADVISORY_LOCKS } from './advisoryLocks';
import { BaseRepository } from './base';
import type { TransactionState } from './prismaTypes';
import type { FindManyOptions, RepositoryDependencies } from './types';
import { userCacheKeys } from './userCacheKeys';
import { getUserStats, type UserStats, type UserStatsOptions } from './userStats';
import type { IUserRepository } from './interfaces/IUserRepository';

export interface UpdateRoleOptions {
  /** The assignment lapses at this time (finders by role ignore it afterwards). */
  expiresAt?: Date | null;
  reason?: string;
  /** The API key the actor used, recorded in the audit entry. */
  apiKeyId?: string;
}

export interface StatusChangeOptions {
  reason?: string;
  /** With BANNED: the ban lapses at this time (null or absent: until lifted). */
  banExpiresAt?: Date | null;
  /** The API key the actor used, recorded in the audit entry. */
  apiKeyId?: string;
}

const viaKey = (apiKeyId: string | undefined) => (apiKeyId ? { apiKeyId } : {});

/**
 * Users, with soft delete (hidden from finders unless `includeDeleted`), audit fields, an
 * append-only `auditLog` of role and status changes, and cache-first finders by id and email.
 */
export class UserRepository extends BaseRepository<User, Prisma.UserWhereInput, UserCreateInput, UserUpdateInput> implements IUserRepository {
  constructor(deps: RepositoryDependencies, tx?: TransactionState) {
    super(deps, { model: 'user', announces: true, createSchema: UserCreateInputSchema, updateSchema: UserUpdateInputSchema, softDeleteField: 'isDeleted' }, tx);
  }

  protected override toCreateData(input: Record<string, unknown>): Record<string, unknown> {
    const by = (input['createdBy'] as string | undefined) ?? null;
    const data: Record<string, unknown> = { ...input, updatedBy: by, auditLog: [] };
    if (input['roleId']) Object.assign(data, { roleAssignedAt: new Date(), roleAssignedBy: by });
    return data;
  }

  protected override async onChanged(rows: User[]): Promise<void> {
    await this.#invalidateIds(
      rows.map((u) => u.id),
      rows.map((u) => u.email),
    );
  }

  protected override async onBulkChanged(): Promise<void> {
    await this.announce({ events: [{ kind: 'all-users-changed' }], tags: [userCacheKeys.all] });
  }

  #cacheOptions(id?: string) {
    return { resource: 'user', tags: id ? [userCacheKeys.tag(id), userCacheKeys.all] : [userCacheKeys.all], revive: reviveUser } as const;
  }

  /**
   * Updates profile fields. A `status` change goes through `batchUpdateStatus` in the same
   * transaction, so it is audited like every other status change.
   */
  override async update(id: string, data: UserUpdateInput): Promise<User> {
    if (data.status === undefined) return super.update(id, data);
    const { status, ...rest } = this.parse('update', UserUpdateInputSchema, data);
    const by = (rest['updatedBy'] as string | undefined) ?? 'system';
    const user = await this.transaction(async (repo) => {
      if (Object.keys(rest).length > 0) await BaseRepository.prototype.update.call(repo, id, rest as UserUpdateInput);
      else if (!(await repo.exists({ id }))) throw new RepositoryError('NOT_FOUND', 'user.update: user not found', { operation: 'user.update' });
      await repo.batchUpdateStatus([id], status as UserStatus, by, (rest['banReason'] as string | undefined) ?? undefined);
      const row = await repo.#read('update', id);
      await repo.afterWrite(() => repo.onChanged([row]));
      return row;
    });
    return user;
  }

  /** Cache-first when called without options. */
  override async findById(id: string, options: Parameters<BaseRepository<User>['findById']>[1] = {}): Promise<User | null> {
    if (Object.keys(options).length > 0) return super.findById(id, options);
    return this.cached(userCacheKeys.byId(id), this.#cacheOptions(id), () => super.findById(id));
  }

  async findByEmail(email: string, options: { includeDeleted?: boolean } = {}): Promise<User | null> {
    const normalised = email.trim().toLowerCase();
    const load = () => this.executeOperation('findByEmail', () => this.client.user.findFirst({ where: this.scope({ email: normalised }, options.includeDeleted) }) as Promise<User | null>);
    if (options.includeDeleted) return load();
    return this.cached(userCacheKeys.byEmail(normalised), this.#cacheOptions(), load);
  }

  async findByUsername(username: string, options: { includeDeleted?: boolean } = {}): Promise<User | null> {
    return this.findFirst({ where: { username: username.trim().toLowerCase() }, includeDeleted: options.includeDeleted });
  }

  /** Users holding `roleId` now (expired assignments excluded). A listing: from a replica unless `readFrom: 'primary'`. */
  async findByRole(roleId: string, options: Omit<FindManyOptions<Prisma.UserWhereInput>, 'where'> = {}): Promise<User[]> {
    return this.findMany({ readFrom: 'replica', ...options, where: { roleId, OR: [{ roleExpiresAt: null }, { roleExpiresAt: { gt: new Date() } }] } });
  }

  /**
   * Runs `fn` in one transaction (READ COMMITTED) that first takes the admin-change lock
   * (`pg_advisory_xact_lock`, held until commit or rollback, across instances): every change that
   * could take away a system administrator runs one at a time, and each one's reads — made after
   * the lock — see what the previous one committed. `fn` gets this repository and each of `others`
   * bound to the transaction; it re-checks its precondition there and writes through them. It
   * throws to roll back; it must have no side effects outside the database (the transaction is
   * rerun on a serialization failure or deadlock).
   */
  async withAdminChangeLock<R, O extends Array<{ bindTo(tx: TransactionState): unknown }>>(others: [...O], fn: (users: this, ...bound: O) => Promise<R>): Promise<R> {
    return this.transactionWith(
      others,
      async (repo, ...bound) => {
        await repo.executeOperation('adminChangeLock', () => repo.client.$executeRaw`SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.adminChange})`);
        return fn(repo, ...bound);
      },
      { isolationLevel: 'ReadCommitted' },
    );
  }

  /** Assigns (or with `null` removes) a role; appends a ROLE_CHANGED audit entry in the same statement. */
  async updateRole(userId: string, roleId: string | null, assignedBy: string, options: UpdateRoleOptions = {}): Promise<User> {
    const at = new Date();
    const entry = { action: 'ROLE_CHANGED', at: at.toISOString(), by: assignedBy, ...viaKey(options.apiKeyId), to: roleId, ...(options.reason ? { reason: options.reason } : {}) };
    const count = await this.executeOperation(
      'updateRole',
      // `"roleId"` on the right of SET is the old value: the audit entry records from → to atomically.
      () => this.client.$executeRaw`
        UPDATE "User" SET "roleId" = ${roleId}, "roleAssignedAt" = ${at}, "roleAssignedBy" = ${assignedBy},
          "roleExpiresAt" = ${options.expiresAt ?? null}, "updatedBy" = ${assignedBy}, "updatedAt" = ${at},
          "auditLog" = "auditLog" || jsonb_build_array(${JSON.stringify(entry)}::jsonb || jsonb_build_object('from', "roleId"))
        WHERE "id" = ${userId} AND NOT "isDeleted"`,
      { idempotent: false },
    );
    return this.#changed('updateRole', userId, count);
  }

  /**
   * Sets status on many users in one statement (ban, deactivate …), with an audit entry each.
   * DELETED is a soft delete whichever path sets it (`isDeleted`, `deletedAt`, `deletedBy`;
   * `restore` undoes it); BANNED records `bannedAt`, the reason and an optional `banExpiresAt`.
   * The fourth argument may be the reason (the seed's signature) or the options.
   */
  async batchUpdateStatus(userIds: string[], status: UserStatus, updatedBy: string, reasonOrOptions?: string | StatusChangeOptions): Promise<number> {
    if (this.notifiesInOwnTransaction) return this.transaction((repo) => repo.batchUpdateStatus(userIds, status, updatedBy, reasonOrOptions));
    const options: StatusChangeOptions = typeof reasonOrOptions === 'string' ? { reason: reasonOrOptions } : (reasonOrOptions ?? {});
    const parsed = this.parse('batchUpdateStatus', userStatusSchema, status);
    if (userIds.length === 0) return 0;
    const at = new Date();
    const { reason, banExpiresAt = null } = options;
    const entry = JSON.stringify({ action: parsed === UserStatus.DELETED ? 'SOFT_DELETED' : 'STATUS_CHANGED', at: at.toISOString(), by: updatedBy, ...viaKey(options.apiKeyId), to: parsed, ...(reason ? { reason } : {}) });
    const banned = parsed === UserStatus.BANNED;
    const deleted = parsed === UserStatus.DELETED;
    const changed = await this.executeOperation(
      'batchUpdateStatus',
      () => this.client.$queryRaw<Array<{ email: string }>>`
        UPDATE "User" SET "status" = ${parsed}::"UserStatus", "updatedBy" = ${updatedBy}, "updatedAt" = ${at},
          "bannedAt" = CASE WHEN ${banned} THEN ${at}::timestamp(3) ELSE NULL END,
          "banReason" = CASE WHEN ${banned} THEN ${reason ?? null} ELSE NULL END,
          "banExpiresAt" = CASE WHEN ${banned} THEN ${banExpiresAt}::timestamp(3) ELSE NULL END,
          "isDeleted" = ${deleted}, "deletedAt" = CASE WHEN ${deleted} THEN ${at}::timestamp(3) ELSE NULL END,
          "deletedBy" = CASE WHEN ${deleted} THEN ${updatedBy} ELSE NULL END,
          "auditLog" = "auditLog" || jsonb_build_array(${entry}::jsonb || jsonb_build_object('from', "status"))
        WHERE "id" = ANY(${userIds}) AND NOT "isDeleted" AND "status" <> ${parsed}::"UserStatus"
        RETURNING "email"`,
    );
    await this.afterWrite(() => this.#invalidateIds(userIds, changed.map((r) => r.email)));
    return changed.length;
  }

  /**
   * Makes a user whose temporary ban has lapsed (`banExpiresAt` ≤ now) ACTIVE again, with a
   * BAN_LAPSED audit entry. False when there was nothing to lift (not banned, a ban without
   * expiry, not yet lapsed, or another instance lifted it first).
   */
  async liftLapsedBan(userId: string, now = new Date()): Promise<boolean> {
    const entry = JSON.stringify({ action: 'BAN_LAPSED', at: now.toISOString(), by: 'system', from: 'BANNED', to: 'ACTIVE' });
    const lifted = await this.executeOperation(
      'liftLapsedBan',
      () => this.client.$queryRaw<Array<{ email: string }>>`
        UPDATE "User" SET "status" = 'ACTIVE', "bannedAt" = NULL, "banReason" = NULL, "banExpiresAt" = NULL,
          "updatedBy" = 'system', "updatedAt" = ${now}, "auditLog" = "auditLog" || jsonb_build_array(${entry}::jsonb)
        WHERE "id" = ${userId} AND NOT "isDeleted" AND "status" = 'BANNED' AND "banExpiresAt" IS NOT NULL AND "banExpiresAt" <= ${now}
        RETURNING "email"`,
    );
    if (lifted.length > 0) await this.afterWrite(() => this.#invalidateIds([userId], lifted.map((r) => r.email)));
    return lifted.length > 0;
  }

  /** Hides the user from finders and marks it DELETED; NOT_FOUND when absent or already deleted. */
  async softDelete(userId: string, deletedBy: string): Promise<User> {
    if (this.notifiesInOwnTransaction) return this.transaction((repo) => repo.softDelete(userId, deletedBy));
    const at = new Date();
    const entry = JSON.stringify({ action: 'SOFT_DELETED', at: at.toISOString(), by: deletedBy, to: 'DELETED' });
    const count = await this.executeOperation(
      'softDelete',
      () => this.client.$executeRaw`
        UPDATE "User" SET "isDeleted" = true, "deletedAt" = ${at}, "deletedBy" = ${deletedBy}, "status" = 'DELETED',
          "updatedBy" = ${deletedBy}, "updatedAt" = ${at},
          "auditLog" = "auditLog" || jsonb_build_array(${entry}::jsonb || jsonb_build_object('from', "status"))
        WHERE "id" = ${userId} AND NOT "isDeleted"`,
    );
    return this.#changed('softDelete', userId, count);
  }

  /** Brings a soft-deleted user back as ACTIVE. NOT_FOUND when absent or not deleted. */
  async restore(userId: string, restoredBy: string): Promise<User> {
    const at = new Date();
    const entry = JSON.stringify({ action: 'RESTORED', at: at.toISOString(), by: restoredBy, from: 'DELETED', to: 'ACTIVE' });
    const count = await this.executeOperation(
      'restore',
      () => this.client.$executeRaw`
        UPDATE "User" SET "isDeleted" = false, "deletedAt" = NULL, "deletedBy" = NULL, "status" = 'ACTIVE',
          "updatedBy" = ${restoredBy}, "updatedAt" = ${at}, "auditLog" = "auditLog" || jsonb_build_array(${entry}::jsonb)
        WHERE "id" = ${userId} AND "isDeleted"`,
    );
    return this.#changed('restore', userId, count);
  }

  /** Records a sign-in: `lastLoginAt` now and `loginCount` + 1 (not retried once it may have landed). */
  async updateLastLogin(userId: string): Promise<User> {
    const user = await this.executeOperation(
      'updateLastLogin',
      () => this.client.user.update({ where: { id: userId, isDeleted: false }, data: { lastLoginAt: new Date(), loginCount: { increment: 1 } } }) as Promise<User>,
      { idempotent: false },
    );
    await this.afterWrite(() => this.onChanged([user]));
    return user;
  }

  /** Counts by status and role and new users in the last N days, in one round trip (from a replica: figures tolerate lag). */
  async getUserStats(options: UserStatsOptions = {}): Promise<UserStats> {
    return this.lagTolerant('getUserStats', (client) => getUserStats(client, options));
  }

  async #changed(operation: string, userId: string, count: number): Promise<User> {
    if (count === 0) throw new RepositoryError('NOT_FOUND', `user.${operation}: user not found`, { operation: `user.${operation}` });
    const user = await this.#read(operation, userId);
    await this.afterWrite(() => this.onChanged([user]));
    return user;
  }

  async #read(operation: string, userId: string): Promise<User> {
    const user = await this.executeOperation(`${operation}.read`, () => this.client.user.findUnique({ where: { id: userId } }) as Promise<User | null>);
    if (!user) throw new RepositoryError('NOT_FOUND', `user.${operation}: user not found`, { operation: `user.${operation}` });
    return user;
  }

  /**
   * Announces `ids` changed: drops their cached rows by id, by tag, and by the emails the write
   * returned (keys as well as tags: a cached "no such user" (null) carries no user tag).
   */
  async #invalidateIds(ids: string[], emails: string[] = []): Promise<void> {
    await this.announce({
      events: ids.map((id) => ({ kind: 'user-changed', id })),
      keys: [...ids.map(userCacheKeys.byId), ...emails.map(userCacheKeys.byEmail)],
      tags: ids.map(userCacheKeys.tag),
    });
  }
}
