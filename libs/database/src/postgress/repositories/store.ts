import type { Prisma } from '../../generated/prisma/client';
import { StoreCreateInputSchema, StoreUpdateInputSchema, type ApiKey, type Store, type StoreCreateInput, type StoreUpdateInput, type User, type UserSession } from '../../models';
import { BaseRepository } from './base';
import type { IStoreRepository, StoreListOptions } from './interfaces/IStoreRepository';
import type { TransactionState } from './prismaTypes';
import type { RepositoryDependencies } from './types';

/** Stores (tenants): users, sessions and API keys may belong to one. */
export class StoreRepository extends BaseRepository<Store, Prisma.StoreWhereInput, StoreCreateInput, StoreUpdateInput> implements IStoreRepository {
  constructor(deps: RepositoryDependencies, tx?: TransactionState) {
    super(deps, { model: 'store', createSchema: StoreCreateInputSchema, updateSchema: StoreUpdateInputSchema }, tx);
  }

  async findBySlug(slug: string): Promise<Store | null> {
    return this.executeOperation('findBySlug', () => this.client.store.findUnique({ where: { slug } }) as Promise<Store | null>);
  }

  async listMembers(storeId: string, options: StoreListOptions = {}): Promise<User[]> {
    return this.executeOperation(
      'listMembers',
      () => this.client.user.findMany({ where: { storeId, isDeleted: false }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], ...options }) as Promise<User[]>,
    );
  }

  async listKeys(storeId: string, options: StoreListOptions & { includeInactive?: boolean } = {}): Promise<Array<Omit<ApiKey, 'keyHash'>>> {
    const { includeInactive, ...page } = options;
    return this.executeOperation(
      'listKeys',
      () =>
        this.client.apiKey.findMany({
          where: { storeId, ...(includeInactive ? {} : { isActive: true }) },
          // The hash never leaves the repository layer.
          omit: { keyHash: true },
          orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
          ...page,
        }) as Promise<Array<Omit<ApiKey, 'keyHash'>>>,
    );
  }

  async listSessions(storeId: string, options: StoreListOptions = {}): Promise<UserSession[]> {
    return this.executeOperation(
      'listSessions',
      () =>
        this.client.userSession.findMany({
          where: { storeId, isActive: true, expiresAt: { gt: new Date() } },
          orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
          ...options,
        }) as Promise<UserSession[]>,
    );
  }
}
