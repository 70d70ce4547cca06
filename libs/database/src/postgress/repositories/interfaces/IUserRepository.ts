import type { Prisma } from '../../../generated/prisma/client';
import type { User, UserCreateInput, UserStatus, UserUpdateInput } from '../../../models';
import type { TransactionState } from '../prismaTypes';
import type { FindManyOptions } from '../types';
import type { StatusChangeOptions, UpdateRoleOptions } from '../user';
import type { UserStats, UserStatsOptions } from '../userStats';
import type { IRepository } from './IRepository';

/** `User` rows: soft delete, role and status changes with audit entries, last login, stats. */
export interface IUserRepository extends IRepository<User, Prisma.UserWhereInput, UserCreateInput, UserUpdateInput> {
  /** Looks the lowercased address up (Better-Auth stores emails lowercased). */
  findByEmail(email: string, options?: { includeDeleted?: boolean }): Promise<User | null>;
  findByUsername(username: string, options?: { includeDeleted?: boolean }): Promise<User | null>;
  /** Users holding `roleId` now (expired assignments excluded). */
  findByRole(roleId: string, options?: Omit<FindManyOptions<Prisma.UserWhereInput>, 'where'>): Promise<User[]>;
  updateRole(userId: string, roleId: string | null, assignedBy: string, options?: UpdateRoleOptions): Promise<User>;
  /**
   * `fn` in one transaction holding the admin-change lock (one at a time across instances, each
   * seeing the previous one's committed writes), with this repository and `others` bound to it:
   * changes that could take away the last system administrator re-check and write there.
   */
  withAdminChangeLock<R, O extends Array<{ bindTo(tx: TransactionState): unknown }>>(others: [...O], fn: (users: this, ...bound: O) => Promise<R>): Promise<R>;
  /** The fourth argument is the reason (the seed's signature) or the options (ban expiry, the actor's key). */
  batchUpdateStatus(userIds: string[], status: UserStatus, updatedBy: string, reasonOrOptions?: string | StatusChangeOptions): Promise<number>;
  /** ACTIVE again once a temporary ban's `banExpiresAt` has passed; false when there was nothing to lift. */
  liftLapsedBan(userId: string, now?: Date): Promise<boolean>;
  softDelete(userId: string, deletedBy: string): Promise<User>;
  restore(userId: string, restoredBy: string): Promise<User>;
  updateLastLogin(userId: string): Promise<User>;
  getUserStats(options?: UserStatsOptions): Promise<UserStats>;
}
