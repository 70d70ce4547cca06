import type { Page } from '../../../models/types';
import type { TransactionState } from '../prismaTypes';
import type { FindByIdOptions, FindFirstOptions, FindManyOptions, PaginateOptions, RepositoryMetrics, TransactionOptions } from '../types';

type Row = Record<string, unknown>;

/**
 * What every repository offers, whatever stores it: the Prisma repositories (`BaseRepository`)
 * and the in-memory ones of `@libs/database/testing` implement it, and consumers depend on it.
 */
export interface IRepository<T, TWhere extends object = Row, TCreate extends object = Row, TUpdate extends object = Row> {
  findById(id: string, options?: FindByIdOptions): Promise<T | null>;
  findFirst(options?: FindFirstOptions<TWhere>): Promise<T | null>;
  findMany(options?: FindManyOptions<TWhere>): Promise<T[]>;
  count(where?: TWhere, options?: { includeDeleted?: boolean }): Promise<number>;
  exists(where: TWhere, options?: { includeDeleted?: boolean }): Promise<boolean>;
  /** VALIDATION before any write; UNIQUE_VIOLATION, FOREIGN_KEY … as `RepositoryError` codes. */
  create(data: TCreate): Promise<T>;
  createMany(data: TCreate[], options?: { skipDuplicates?: boolean }): Promise<number>;
  /** NOT_FOUND when the row is absent. */
  update(id: string, data: TUpdate): Promise<T>;
  updateMany(where: TWhere, data: Row): Promise<number>;
  upsert(where: Row, create: TCreate, update: TUpdate): Promise<T>;
  /** Deletes for good; NOT_FOUND when absent. */
  delete(id: string): Promise<T>;
  deleteMany(where: TWhere): Promise<number>;
  paginate(options?: PaginateOptions<TWhere>): Promise<Page<T>>;
  /** Runs `fn` with a copy bound to one transaction; rolls back when it throws. */
  transaction<R>(fn: (repo: this) => Promise<R>, options?: TransactionOptions): Promise<R>;
  /** One transaction over this repository and `others`, each bound to it. */
  transactionWith<R, O extends Array<{ bindTo(tx: TransactionState): unknown }>>(
    others: [...O],
    fn: (repo: this, ...bound: O) => Promise<R>,
    options?: TransactionOptions,
  ): Promise<R>;
  /** A copy bound to a transaction (what `transactionWith` hands to `fn`). */
  bindTo(tx: TransactionState): this;
  getMetrics(): RepositoryMetrics;
}
