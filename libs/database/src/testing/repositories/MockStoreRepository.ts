import type { Prisma } from '../../generated/prisma/client';
import { StoreCreateInputSchema, StoreUpdateInputSchema, type ApiKey, type Store, type StoreCreateInput, type StoreUpdateInput, type User, type UserSession } from '../../models';
import type { IApiKeyRepository, ISessionRepository, IStoreRepository, IUserRepository, StoreListOptions } from '../../postgress/repositories/interfaces';
import { buildStore } from './builders';
import { InMemoryRepository } from './InMemoryRepository';

/** What a store lists, read through the other in-memory repositories. */
export interface StoreMembers {
  users: IUserRepository;
  sessions: ISessionRepository;
  apiKeys: IApiKeyRepository;
}

/** In-memory `StoreRepository`. */
export class MockStoreRepository extends InMemoryRepository<Store, Prisma.StoreWhereInput, StoreCreateInput, StoreUpdateInput> implements IStoreRepository {
  readonly #members: StoreMembers;

  constructor(members: StoreMembers) {
    super({ name: 'store', uniques: [['slug']], build: buildStore, createSchema: StoreCreateInputSchema, updateSchema: StoreUpdateInputSchema });
    this.#members = members;
  }

  findBySlug(slug: string): Promise<Store | null> {
    return this.findFirst({ where: { slug } });
  }

  listMembers(storeId: string, options: StoreListOptions = {}): Promise<User[]> {
    return this.#members.users.findMany({ where: { storeId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], ...options });
  }

  async listKeys(storeId: string, options: StoreListOptions & { includeInactive?: boolean } = {}): Promise<Array<Omit<ApiKey, 'keyHash'>>> {
    const { includeInactive, ...page } = options;
    const rows = await this.#members.apiKeys.findMany({ where: { storeId, ...(includeInactive ? {} : { isActive: true }) }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], ...page });
    return rows.map(({ keyHash: _, ...key }) => key);
  }

  listSessions(storeId: string, options: StoreListOptions = {}): Promise<UserSession[]> {
    return this.#members.sessions.findMany({ where: { storeId, isActive: true, expiresAt: { gt: new Date() } }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], ...options });
  }
}
