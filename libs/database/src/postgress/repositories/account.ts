import type { Prisma } from '../../generated/prisma/client';
import { AccountCreateInputSchema, AccountUpdateInputSchema, type Account, type AccountCreateInput, type AccountUpdateInput } from '../../models';
import { BaseRepository } from './base';
import type { TransactionState } from './prismaTypes';
import type { RepositoryDependencies } from './types';
import type { IAccountRepository } from './interfaces/ISmallRepositories';

/** Better-Auth's `account` table: credentials and linked providers. */
export class AccountRepository extends BaseRepository<Account, Prisma.AccountWhereInput, AccountCreateInput, AccountUpdateInput> implements IAccountRepository {
  constructor(deps: RepositoryDependencies, tx?: TransactionState) {
    super(deps, { model: 'account', createSchema: AccountCreateInputSchema, updateSchema: AccountUpdateInputSchema }, tx);
  }

  async findByProvider(providerId: string, accountId: string): Promise<Account | null> {
    return this.executeOperation('findByProvider', () => this.client.account.findUnique({ where: { providerId_accountId: { providerId, accountId } } }));
  }

  async findByUserId(userId: string): Promise<Account[]> {
    return this.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
  }

  async deleteByUserId(userId: string): Promise<number> {
    const { count } = await this.executeOperation('deleteByUserId', () => this.client.account.deleteMany({ where: { userId } }));
    return count;
  }
}
