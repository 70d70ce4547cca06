import type { Prisma } from '../../generated/prisma/client';
import {
  VerificationCreateInputSchema,
  VerificationUpdateInputSchema,
  type Verification,
  type VerificationCreateInput,
  type VerificationUpdateInput,
} from '../../models';
import { BaseRepository } from './base';
import type { TransactionState } from './prismaTypes';
import type { RepositoryDependencies } from './types';
import type { IVerificationRepository } from './interfaces/ISmallRepositories';

/** Better-Auth's `verification` table: email verification and password-reset values. */
export class VerificationRepository extends BaseRepository<Verification, Prisma.VerificationWhereInput, VerificationCreateInput, VerificationUpdateInput> implements IVerificationRepository {
  constructor(deps: RepositoryDependencies, tx?: TransactionState) {
    super(deps, { model: 'verification', createSchema: VerificationCreateInputSchema, updateSchema: VerificationUpdateInputSchema }, tx);
  }

  /** The newest unexpired value for `identifier`. */
  async findValid(identifier: string, now = new Date()): Promise<Verification | null> {
    return this.findFirst({ where: { identifier, expiresAt: { gt: now } }, orderBy: { createdAt: 'desc' } });
  }

  /** Deletes every value for `identifier` (after use); returns how many. */
  async deleteByIdentifier(identifier: string): Promise<number> {
    const { count } = await this.executeOperation('deleteByIdentifier', () => this.client.verification.deleteMany({ where: { identifier } }));
    return count;
  }

  /** Housekeeping: deletes expired values; returns how many. */
  async deleteExpired(now = new Date()): Promise<number> {
    const { count } = await this.executeOperation('deleteExpired', () => this.client.verification.deleteMany({ where: { expiresAt: { lt: now } } }));
    return count;
  }
}
