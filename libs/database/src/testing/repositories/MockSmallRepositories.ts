import type { Prisma } from '../../generated/prisma/client';
import {
  AccountCreateInputSchema,
  AccountUpdateInputSchema,
  UserEventCreateInputSchema,
  VerificationCreateInputSchema,
  VerificationUpdateInputSchema,
  type Account,
  type AccountCreateInput,
  type AccountUpdateInput,
  type UserEvent,
  type UserEventCreateInput,
  type Verification,
  type VerificationCreateInput,
  type VerificationUpdateInput,
} from '../../models';
import type { UserEventQuery } from '../../postgress/repositories/userEvent';
import { buildAccount, buildUserEvent, buildVerification } from './builders';
import { InMemoryRepository } from './InMemoryRepository';
import type { IAccountRepository, IUserEventRepository, IVerificationRepository } from '../../postgress/repositories/interfaces';

/** In-memory `UserEventRepository`. */
export class MockUserEventRepository extends InMemoryRepository<UserEvent, Prisma.UserEventWhereInput, UserEventCreateInput, never> implements IUserEventRepository {
  constructor() {
    super({ name: 'userEvent', build: buildUserEvent, createSchema: UserEventCreateInputSchema });
  }
  append(event: UserEventCreateInput): Promise<UserEvent> {
    return this.create(event);
  }
  appendMany(events: UserEventCreateInput[]): Promise<number> {
    return this.createMany(events);
  }
  query(q: UserEventQuery = {}): Promise<UserEvent[]> {
    const types = q.eventType === undefined ? undefined : Array.isArray(q.eventType) ? q.eventType : [q.eventType];
    return this.findMany({
      where: {
        userId: q.userId, sessionId: q.sessionId, isError: q.isError,
        ...(types ? { eventType: { in: types } } : {}),
        ...(q.from || q.to ? { timestamp: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
      },
      orderBy: [{ timestamp: q.order ?? 'desc' }, { id: 'asc' }],
      take: Math.min(Math.max(1, q.take ?? 100), 1_000),
      skip: q.skip,
    });
  }
  async countByType(userId: string, from?: Date, to?: Date): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const e of await this.query({ userId, from, to, take: 1_000 })) out[e.eventType] = (out[e.eventType] ?? 0) + 1;
    return out;
  }
  async deleteOlderThan(before: Date): Promise<number> {
    const old = [...this.rows.values()].filter((e) => e.timestamp < before);
    for (const e of old) this.rows.delete(e.id);
    return old.length;
  }
}

/** In-memory `AccountRepository`. */
export class MockAccountRepository extends InMemoryRepository<Account, Prisma.AccountWhereInput, AccountCreateInput, AccountUpdateInput> implements IAccountRepository {
  constructor() {
    super({ name: 'account', uniques: [['providerId', 'accountId']], build: buildAccount, createSchema: AccountCreateInputSchema, updateSchema: AccountUpdateInputSchema });
  }
  findByProvider(providerId: string, accountId: string): Promise<Account | null> {
    return this.findFirst({ where: { providerId, accountId } });
  }
  findByUserId(userId: string): Promise<Account[]> {
    return this.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
  }
  async deleteByUserId(userId: string): Promise<number> {
    const rows = [...this.rows.values()].filter((a) => a.userId === userId);
    for (const a of rows) this.rows.delete(a.id);
    return rows.length;
  }
}

/** In-memory `VerificationRepository`. */
export class MockVerificationRepository
  extends InMemoryRepository<Verification, Prisma.VerificationWhereInput, VerificationCreateInput, VerificationUpdateInput>
  implements IVerificationRepository
{
  constructor() {
    super({ name: 'verification', build: buildVerification, createSchema: VerificationCreateInputSchema, updateSchema: VerificationUpdateInputSchema });
  }
  findValid(identifier: string, now = new Date()): Promise<Verification | null> {
    return this.findFirst({ where: { identifier, expiresAt: { gt: now } }, orderBy: { createdAt: 'desc' } });
  }
  async deleteByIdentifier(identifier: string): Promise<number> {
    const rows = [...this.rows.values()].filter((v) => v.identifier === identifier);
    for (const v of rows) this.rows.delete(v.id);
    return rows.length;
  }
  async deleteExpired(now = new Date()): Promise<number> {
    const rows = [...this.rows.values()].filter((v) => v.expiresAt < now);
    for (const v of rows) this.rows.delete(v.id);
    return rows.length;
  }
}
