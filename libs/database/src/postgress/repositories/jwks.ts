import type { Prisma } from '../../generated/prisma/client';
import { JwksCreateInputSchema, JwksUpdateInputSchema, reviveJwksList, type Jwks, type JwksCreateInput, type JwksUpdateInput } from '../../models';
import { BaseRepository } from './base';
import type { TransactionState } from './prismaTypes';
import type { FindByIdOptions, FindManyOptions, RepositoryDependencies } from './types';

/** Where the key list is cached; every write deletes it (on every instance, through the cache's bus). */
export const JWKS_CACHE_KEY = 'jwks:all';

/** `findMany` with no filter, order, paging or projection: the whole key set. */
const isWholeSet = (options: FindManyOptions<Prisma.JwksWhereInput>): boolean =>
  Object.entries(options).every(([name, value]) => value === undefined || (name === 'where' && Object.keys(value as object).length === 0));

/**
 * Better-Auth's `jwks` table (jwt plugin). The plugin reads the whole key set on every token it
 * signs or verifies and on every `/jwks` request; keys change only on rotation. So the set is
 * cached (L1 + Redis, `JWKS_CACHE_KEY`) and a lookup by id is answered from it; any write drops
 * the entry everywhere.
 */
export class JwksRepository extends BaseRepository<Jwks, Prisma.JwksWhereInput, JwksCreateInput, JwksUpdateInput> {
  constructor(deps: RepositoryDependencies, tx?: TransactionState) {
    super(deps, { model: 'jwks', createSchema: JwksCreateInputSchema, updateSchema: JwksUpdateInputSchema }, tx);
  }

  /** Every key, cache-first. */
  async findAll(): Promise<Jwks[]> {
    const load = () => super.findMany({ orderBy: { createdAt: 'asc' } });
    return (await this.cached(JWKS_CACHE_KEY, { resource: 'jwks', revive: reviveJwksList }, load)) ?? [];
  }

  override async findMany(options: FindManyOptions<Prisma.JwksWhereInput> = {}): Promise<Jwks[]> {
    return isWholeSet(options) ? this.findAll() : super.findMany(options);
  }

  /** The key with this id (a JWS `kid`), from the cached set: an unknown `kid` costs no query. */
  override async findById(id: string, options: FindByIdOptions = {}): Promise<Jwks | null> {
    if (Object.keys(options).length > 0 || this.tx) return super.findById(id, options);
    return (await this.findAll()).find((key) => key.id === id) ?? null;
  }

  protected override async onChanged(): Promise<void> {
    await this.deps.cache?.delete(JWKS_CACHE_KEY);
  }

  protected override async onBulkChanged(): Promise<void> {
    await this.deps.cache?.delete(JWKS_CACHE_KEY);
  }
}
