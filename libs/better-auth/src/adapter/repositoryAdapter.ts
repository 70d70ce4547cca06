import { createAdapterFactory, type CustomAdapter } from 'better-auth/adapters';
import type { BetterAuthOptions } from 'better-auth';
import { isRepositoryError } from '@libs/database/postgress/repositories';
import { whereToQuery, type WhereCondition } from './whereToQuery';

type Row = Record<string, unknown>;

/**
 * What the adapter needs of a repository: the generic part of `BaseRepository`. Every call
 * goes through the repository's `executeOperation` (retry, breaker, metrics, typed errors).
 */
export interface AdapterRepository {
  findById(id: string): Promise<unknown>;
  findFirst(options: { where?: Row; select?: Row }): Promise<unknown>;
  findMany(options: { where?: Row; select?: Row; orderBy?: Row; skip?: number; take?: number }): Promise<unknown[]>;
  count(where?: Row): Promise<number>;
  create(data: Row): Promise<unknown>;
  update(id: string, data: Row): Promise<unknown>;
  updateMany(where: Row, data: Row): Promise<number>;
  delete(id: string): Promise<unknown>;
  deleteMany(where: Row): Promise<number>;
}

/** Better-Auth model name (after `modelName` mapping) → the repository that owns it. */
export type AdapterRepositories = Record<string, AdapterRepository>;

export interface RepositoryAdapterOptions {
  repositories: AdapterRepositories;
  /**
   * Runs `fn` with repositories bound to one database transaction (rolled back if it throws).
   * Without it, Better-Auth runs its multi-step writes one by one.
   */
  transaction?: <R>(fn: (repositories: AdapterRepositories) => Promise<R>) => Promise<R>;
  debugLogs?: boolean;
  /** Sees every error a repository call throws (before Better-Auth may swallow it). */
  onError?: (error: unknown) => void;
  /**
   * Sees every write that committed, with its model: at once outside a transaction, after the
   * commit inside one (never for a rolled-back write, nor for a bulk write that changed no row).
   */
  onCommitted?: (model: string) => void;
}

interface Observers {
  onError?: (error: unknown) => void;
  onCommitted?: (model: string) => void;
}

function toSelect(select: string[] | undefined): Row | undefined {
  if (!select?.length) return undefined;
  const result: Row = { id: true };
  for (const field of select) result[field] = true;
  return result;
}

/** A single `id = value` condition: served by `findById`, which repositories may cache. */
function idLookup(where: readonly WhereCondition[]): string | undefined {
  if (where.length !== 1) return undefined;
  const [w] = where;
  return w.field === 'id' && (w.operator ?? 'eq') === 'eq' && typeof w.value === 'string' && w.mode !== 'insensitive' ? w.value : undefined;
}

const isNotFound = (error: unknown) => isRepositoryError(error) && error.code === 'NOT_FOUND';

const ADAPTER_METHODS = ['findById', 'findFirst', 'findMany', 'count', 'create', 'update', 'updateMany', 'delete', 'deleteMany'] as const;
const WRITES = new Set<string>(['create', 'update', 'updateMany', 'delete', 'deleteMany']);

/** A write that changed something: bulk writes report their row count. */
const changed = (result: unknown) => typeof result !== 'number' || result > 0;

/** The same repository, each call passing its error to `onError` before rethrowing it and each write that succeeded to `onCommitted`. */
function observed(model: string, repository: AdapterRepository, observers: Observers): AdapterRepository {
  const { onError, onCommitted } = observers;
  const wrapped: Record<string, unknown> = {};
  for (const method of ADAPTER_METHODS) {
    const call = repository[method] as (...args: unknown[]) => Promise<unknown>;
    const write = onCommitted && WRITES.has(method);
    wrapped[method] = (...args: unknown[]) =>
      call.apply(repository, args).then(
        (result) => {
          if (write && changed(result)) onCommitted(model);
          return result;
        },
        (error: unknown) => {
          onError?.(error);
          throw error;
        },
      );
  }
  return wrapped as unknown as AdapterRepository;
}

function customAdapter(repositories: AdapterRepositories, observers: Observers): CustomAdapter {
  // Wrapped once per adapter, not on every call.
  const byModel: AdapterRepositories =
    observers.onError || observers.onCommitted
      ? Object.fromEntries(Object.entries(repositories).map(([model, repository]) => [model, observed(model, repository, observers)]))
      : repositories;
  const repo = (model: string): AdapterRepository => {
    const found = byModel[model];
    if (!found) throw new Error(`no repository for Better-Auth model "${model}"`);
    return found;
  };
  const findOne = async (model: string, where: WhereCondition[], select?: string[]): Promise<Row | null> => {
    const id = idLookup(where);
    const row = id && !select ? await repo(model).findById(id) : await repo(model).findFirst({ where: whereToQuery(where), select: toSelect(select) });
    return (row as Row | null) ?? null;
  };
  return {
    async create({ model, data }) {
      return (await repo(model).create(data)) as typeof data;
    },
    async findOne({ model, where, select }) {
      return (await findOne(model, where, select)) as never;
    },
    async findMany({ model, where, limit, select, sortBy, offset }) {
      const rows = await repo(model).findMany({
        where: whereToQuery(where),
        select: toSelect(select),
        orderBy: sortBy ? { [sortBy.field]: sortBy.direction } : undefined,
        skip: offset || undefined,
        take: limit,
      });
      return rows as never[];
    },
    async count({ model, where }) {
      return repo(model).count(whereToQuery(where));
    },
    // Better-Auth updates one row it has just identified (by id or by a unique token). Find it,
    // then update by id, so the repository invalidates exactly that row's cache entries.
    async update({ model, where, update }) {
      const row = await findOne(model, where);
      if (!row) return null;
      try {
        return (await repo(model).update(String(row['id']), update as Row)) as never;
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async updateMany({ model, where, update }) {
      return repo(model).updateMany(whereToQuery(where), update);
    },
    async delete({ model, where }) {
      const row = await findOne(model, where);
      if (!row) return;
      try {
        await repo(model).delete(String(row['id']));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
    async deleteMany({ model, where }) {
      return repo(model).deleteMany(whereToQuery(where));
    },
  };
}

const ADAPTER_CONFIG = {
  adapterId: 'libs-database-repositories',
  adapterName: '@libs/database repositories',
  supportsNumericIds: false,
  supportsUUIDs: false,
  supportsJSON: true,
  supportsDates: true,
  supportsBooleans: true,
  supportsArrays: true,
} as const;

/**
 * Better-Auth's database adapter over our repositories: no Prisma in the app, and every read and
 * write gets the repositories' retry, breaker, metrics, validation and cache invalidation.
 * `consumeOne` / `incrementOne` are left to Better-Auth's guarded fallbacks, which run on our
 * non-idempotent (never blindly retried) writes.
 */
export function repositoryAdapter(options: RepositoryAdapterOptions) {
  let lazyOptions: BetterAuthOptions = {};
  const config = { ...ADAPTER_CONFIG, debugLogs: options.debugLogs ?? false };
  const runInTransaction = options.transaction;
  const factory = createAdapterFactory({
    config: {
      ...config,
      transaction: runInTransaction
        ? async (callback) => {
            // Writes inside the transaction are committed only when it is: reported after it.
            const written: string[] = [];
            const inTransaction: Observers = { onError: options.onError, onCommitted: options.onCommitted && ((model) => written.push(model)) };
            const result = await runInTransaction((bound) =>
              callback(createAdapterFactory({ config: { ...config, transaction: false }, adapter: () => customAdapter(bound, inTransaction) })(lazyOptions)),
            );
            for (const model of written) options.onCommitted?.(model);
            return result;
          }
        : false,
    },
    adapter: () => customAdapter(options.repositories, { onError: options.onError, onCommitted: options.onCommitted }),
  });
  return (betterAuthOptions: BetterAuthOptions) => {
    lazyOptions = betterAuthOptions;
    return factory(betterAuthOptions);
  };
}
