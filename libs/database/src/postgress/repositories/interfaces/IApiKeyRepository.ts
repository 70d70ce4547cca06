import type { Prisma } from '../../../generated/prisma/client';
import type { ApiKey, ApiKeyCreateInput, ApiKeyUpdateInput, CreatedApiKey, PresentedApiKey } from '../../../models';
import type { IRepository } from './IRepository';

/** API keys: only a hash is stored; the plain key is returned once, at creation. */
export interface IApiKeyRepository extends Omit<IRepository<ApiKey, Prisma.ApiKeyWhereInput, ApiKeyCreateInput, ApiKeyUpdateInput>, 'create'> {
  createKey(input: ApiKeyCreateInput): Promise<CreatedApiKey>;
  create(input: ApiKeyCreateInput): Promise<ApiKey & { plainKey: string }>;
  findByHash(keyHash: string): Promise<ApiKey | null>;
  /** The row of a presented key (identifier lookup, constant-time secret check); no status, expiry or scope judgement. */
  findPresented(plainKey: string): Promise<PresentedApiKey>;
  /** Counts one use of a key (buffered; written by `flushUsage`). */
  recordUse(keyId: string): void;
  /** Writes buffered usage counts; how many keys were written. */
  flushUsage(): Promise<number>;
  close(): Promise<void>;
  revoke(id: string, revokedBy: string, reason?: string): Promise<ApiKey>;
  rotate(id: string, rotatedBy: string): Promise<CreatedApiKey>;
  listByUser(userId: string, options?: { includeInactive?: boolean }): Promise<Array<Omit<ApiKey, 'keyHash'>>>;
  listByStore(storeId: string, options?: { includeInactive?: boolean }): Promise<Array<Omit<ApiKey, 'keyHash'>>>;
  expireSweep(now?: Date): Promise<number>;
}
