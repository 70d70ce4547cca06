import type { Prisma } from '../../generated/prisma/client';
import { UserEventCreateInputSchema, type UserEvent, type UserEventCreateInput } from '../../models';
import { BaseRepository, MAX_PAGE_SIZE } from './base';
import type { TransactionState } from './prismaTypes';
import type { RepositoryDependencies } from './types';
import type { IUserEventRepository } from './interfaces/ISmallRepositories';

export interface UserEventQuery {
  userId?: string;
  /** One type or any of several. */
  eventType?: string | string[];
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
  isError?: boolean;
  sessionId?: string;
  /** @default 100, capped at 1,000 */
  take?: number;
  skip?: number;
  /** @default 'desc' (newest first) */
  order?: 'asc' | 'desc';
}

/** Append-only user activity (`UserEvent`): append, batch insert, query by user, type and time range. */
export class UserEventRepository extends BaseRepository<UserEvent, Prisma.UserEventWhereInput, UserEventCreateInput, never> implements IUserEventRepository {
  constructor(deps: RepositoryDependencies, tx?: TransactionState) {
    super(deps, { model: 'userEvent', name: 'userEvent', createSchema: UserEventCreateInputSchema }, tx);
  }

  /** Appends one event (safe to retry: a lost connection does not duplicate it). */
  append(event: UserEventCreateInput): Promise<UserEvent> {
    return this.create(event);
  }

  /** Appends many events in one INSERT; returns how many. */
  appendMany(events: UserEventCreateInput[]): Promise<number> {
    return this.createMany(events);
  }

  /** Events newest first (a history view: from a replica). */
  async query(query: UserEventQuery = {}): Promise<UserEvent[]> {
    const where: Prisma.UserEventWhereInput = {
      ...(query.userId ? { userId: query.userId } : {}),
      ...(query.sessionId ? { sessionId: query.sessionId } : {}),
      ...(query.eventType ? { eventType: Array.isArray(query.eventType) ? { in: query.eventType } : query.eventType } : {}),
      ...(query.isError === undefined ? {} : { isError: query.isError }),
      ...(query.from || query.to ? { timestamp: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } } : {}),
    };
    const take = Math.min(Math.max(1, query.take ?? 100), MAX_PAGE_SIZE);
    return this.findMany({ readFrom: 'replica', where, orderBy: [{ timestamp: query.order ?? 'desc' }, { id: 'asc' }], take, skip: query.skip });
  }

  /** Counts per event type for a user in a time range, in one query (from a replica). */
  async countByType(userId: string, from?: Date, to?: Date): Promise<Record<string, number>> {
    const rows = await this.lagTolerant('countByType', (client) =>
      client.userEvent.groupBy({
        by: ['eventType'],
        where: { userId, ...(from || to ? { timestamp: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}) },
        _count: { _all: true },
      }),
    );
    return Object.fromEntries(rows.map((r) => [r.eventType, r._count._all]));
  }

  /** Retention: deletes events older than `before`; returns how many. */
  async deleteOlderThan(before: Date): Promise<number> {
    const { count } = await this.executeOperation('deleteOlderThan', () => this.client.userEvent.deleteMany({ where: { timestamp: { lt: before } } }));
    return count;
  }
}
