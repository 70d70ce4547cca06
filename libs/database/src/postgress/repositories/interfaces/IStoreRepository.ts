import type { Prisma } from '../../../generated/prisma/client';
import type { ApiKey, Store, StoreCreateInput, StoreUpdateInput, User, UserSession } from '../../../models';
import type { IRepository } from './IRepository';

export interface StoreListOptions {
  /** Rows to skip and to return, in creation order. @default all */
  skip?: number;
  take?: number;
}

/** Stores (tenants) and what belongs to them: members, API keys, sessions. */
export interface IStoreRepository extends IRepository<Store, Prisma.StoreWhereInput, StoreCreateInput, StoreUpdateInput> {
  findBySlug(slug: string): Promise<Store | null>;
  /** Users of the store (soft-deleted ones excluded), oldest first. */
  listMembers(storeId: string, options?: StoreListOptions): Promise<User[]>;
  /** The store's API keys without their hashes; revoked and expired ones only when asked. */
  listKeys(storeId: string, options?: StoreListOptions & { includeInactive?: boolean }): Promise<Array<Omit<ApiKey, 'keyHash'>>>;
  /** The store's sessions that are live and not expired, newest first. */
  listSessions(storeId: string, options?: StoreListOptions): Promise<UserSession[]>;
}
