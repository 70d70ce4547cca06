import { BaseRepository, type BaseRepositoryConfig } from './base';
import type { TransactionState } from './prismaTypes';
import type { RepositoryDependencies } from './types';

type Row = Record<string, unknown>;

/**
 * The generic repository of one table: `BaseRepository`'s finders and writes (retry, breaker,
 * metrics, typed errors, Zod validation when the config has schemas) for any Prisma model, with
 * nothing of its own. It serves plugin tables that need no cache or queries of their own
 * (`pluginTables.ts`); a table that does gets a subclass of `BaseRepository` instead.
 */
export class TableRepository<T = Row> extends BaseRepository<T> {
  readonly #table: BaseRepositoryConfig;

  constructor(deps: RepositoryDependencies, table: BaseRepositoryConfig, tx?: TransactionState) {
    super(deps, table, tx);
    this.#table = table;
  }

  /** The same table, bound to a transaction. */
  override bindTo(tx: TransactionState): this {
    return new TableRepository<T>(this.deps, this.#table, tx) as this;
  }
}
