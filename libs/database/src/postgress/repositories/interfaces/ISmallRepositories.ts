import type { Prisma } from '../../../generated/prisma/client';
import type {
  Account,
  AccountCreateInput,
  AccountUpdateInput,
  UserEvent,
  UserEventCreateInput,
  Verification,
  VerificationCreateInput,
  VerificationUpdateInput,
} from '../../../models';
import type { UserEventQuery } from '../userEvent';
import type { IRepository } from './IRepository';

/** Better-Auth's `account` rows (credentials and linked providers). */
export interface IAccountRepository extends IRepository<Account, Prisma.AccountWhereInput, AccountCreateInput, AccountUpdateInput> {
  findByProvider(providerId: string, accountId: string): Promise<Account | null>;
  findByUserId(userId: string): Promise<Account[]>;
  deleteByUserId(userId: string): Promise<number>;
}

/** Better-Auth's `verification` rows (one-time values). */
export interface IVerificationRepository extends IRepository<Verification, Prisma.VerificationWhereInput, VerificationCreateInput, VerificationUpdateInput> {
  findValid(identifier: string, now?: Date): Promise<Verification | null>;
  deleteByIdentifier(identifier: string): Promise<number>;
  deleteExpired(now?: Date): Promise<number>;
}

/** The append-only audit trail of user events. */
export interface IUserEventRepository extends IRepository<UserEvent, Prisma.UserEventWhereInput, UserEventCreateInput, never> {
  append(event: UserEventCreateInput): Promise<UserEvent>;
  appendMany(events: UserEventCreateInput[]): Promise<number>;
  query(query?: UserEventQuery): Promise<UserEvent[]>;
  countByType(userId: string, from?: Date, to?: Date): Promise<Record<string, number>>;
  deleteOlderThan(before: Date): Promise<number>;
}
