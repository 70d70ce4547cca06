import type { Prisma } from '../../../generated/prisma/client';
import type { User, UserCreateInput, UserStatus, UserUpdateInput } from '../../../models';
import type { FindManyOptions } from '../types';
import type { UpdateRoleOptions } from '../user';
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
  batchUpdateStatus(userIds: string[], status: UserStatus, updatedBy: string, reason?: string): Promise<number>;
  softDelete(userId: string, deletedBy: string): Promise<User>;
  restore(userId: string, restoredBy: string): Promise<User>;
  updateLastLogin(userId: string): Promise<User>;
  getUserStats(options?: UserStatsOptions): Promise<UserStats>;
}
