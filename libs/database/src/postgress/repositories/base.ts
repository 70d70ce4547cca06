import { randomUUID } from 'node:crypto';
import type { ZodType } from 'zod';
import { withSpan } from '@libs/monitoring';
import type { CacheResource } from '../../cache/ICache';
import type { CacheChange } from '../../cache/invalidationEvent';
import type { Page } from '../../models/types';
import { OperationRunner, type OperationOptions } from './operation';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { PrismaExecutor, TransactionState } from './prismaTypes';
import {
  DEFAULT_TRANSACTION_OPTIONS,
  type FindByIdOptions,
  type FindFirstOptions,
  type FindManyOptions,
  type PaginateOptions,
  type RepositoryDependencies,
  type ReadFrom,
  type RepositoryMetrics,
  type TransactionOptions,
} from './types';
import type { IRepository } from './interfaces/IRepository';

/** Prisma model accessors a repository can wrap: every model of schema.prisma (`TwoFactor` → `twoFactor`). */
export type ModelKey = Uncapitalize<Prisma.ModelName>;

/** The part of a Prisma model delegate a repository uses (args are Prisma's, checked at runtime). */
interface Delegate {
  findUnique(args: object): Promise<unknown>;
  findFirst(args: object): Promise<unknown>;
  findMany(args: object): Promise<unknown[]>;
  count(args: object): Promise<number>;
  create(args: object): Promise<unknown>;
  createMany(args: object): Promise<{ count: number }>;
  update(args: object): Promise<unknown>;
  updateMany(args: object): Promise<{ count: number }>;
  upsert(args: object): Promise<unknown>;
  delete(args: object): Promise<unknown>;
}

export interface BaseRepositoryConfig {
  model: ModelKey;
  /** Name in metrics, logs and the default breaker key. @default model */
  name?: string;
  /** Zod schema every `create` input is parsed with (VALIDATION before any query). */
  createSchema?: ZodType<Record<string, unknown>>;
  /** Zod schema every `update` input is parsed with. */
  updateSchema?: ZodType<Record<string, unknown>>;
  /** Boolean column marking soft-deleted rows, hidden from finders unless `includeDeleted`. */
  softDeleteField?: string;
  /**
   * Writes are security-relevant (revocation): changes go through `announce`, and with a
   * `notifyChannel` every write runs in a transaction that NOTIFYs the change before it commits.
   */
  announces?: boolean;
}

export const MAX_PAGE_SIZE = 1_000;

/** Values produced by a repository's revive step inside the cache (so they are not revived twice). */
const REVIVED = new WeakSet<object>();
const decoders = new WeakMap<(value: unknown) => unknown, (value: unknown) => unknown>();

/** One stable decoder per revive function: the cache matches decoders by reference. */
function revivedBy<R>(revive: (value: unknown) => R): (value: unknown) => unknown {
  let decoder = decoders.get(revive);
  if (decoder === undefined) {
    decoder = (value: unknown) => {
      const revived = revive(value);
      if (revived !== null && typeof revived === 'object') REVIVED.add(revived);
      return revived;
    };
    decoders.set(revive, decoder);
  }
  return decoder;
}

const isRevived = (value: unknown): boolean => value !== null && typeof value === 'object' && REVIVED.has(value);

type Row = Record<string, unknown>;

/**
 * Generic CRUD over one Prisma model. Every call goes through `executeOperation` (retry,
 * shared breaker, metrics, `RepositoryError`). Subclasses take `(deps, tx?)` and pass `tx` on,
 * which is how `transaction()` hands out copies bound to the transaction.
 */
export class BaseRepository<T, TWhere extends object = Row, TCreate extends object = Row, TUpdate extends object = Row> implements IRepository<T, TWhere, TCreate, TUpdate> {
  protected readonly deps: RepositoryDependencies;
  protected readonly runner: OperationRunner;
  protected readonly tx: TransactionState | undefined;
  readonly #config: BaseRepositoryConfig;

  constructor(deps: RepositoryDependencies, config: BaseRepositoryConfig, tx?: TransactionState) {
    this.deps = deps;
    this.#config = config;
    this.tx = tx;
    this.runner =
      tx?.runners.get(config.name ?? config.model) ??
      new OperationRunner({
        repository: config.name ?? config.model,
        metrics: deps.metrics,
        logger: deps.logger,
        retry: deps.retry,
        slowQueryMs: deps.slowQueryMs,
        resilience: deps.resilience,
        db: deps.db,
      });
  }

  /** The Prisma client, or the transaction's client inside `transaction()`. */
  protected get client(): PrismaExecutor {
    return this.tx?.client ?? this.deps.db.prisma;
  }

  protected get delegate(): Delegate {
    return this.#delegateOf(this.client);
  }

  #delegateOf(client: PrismaExecutor): Delegate {
    return (client as unknown as Record<ModelKey, Delegate>)[this.#config.model];
  }

  /**
   * A read that tolerates replica lag (lists, search, stats): through `executeOperation`, on a
   * healthy replica when `deps.replicas` has one and the caller has not just written, else on the
   * primary. Inside a transaction: the transaction's client. Status, session and permission
   * reads never come here.
   */
  protected lagTolerant<R>(name: string, query: (client: PrismaExecutor) => Promise<R>): Promise<R> {
    const router = this.deps.replicas;
    if (this.tx || router === undefined) return this.executeOperation(name, () => query(this.client));
    return this.executeOperation(name, () => router.read(query));
  }

  /** `lagTolerant` when the caller asked for `readFrom: 'replica'`, else a primary read. */
  #read<R>(name: string, readFrom: ReadFrom | undefined, query: (delegate: Delegate, client: PrismaExecutor) => Promise<R>): Promise<R> {
    if (readFrom === 'replica') return this.lagTolerant(name, (client) => query(this.#delegateOf(client), client));
    return this.executeOperation(name, () => query(this.delegate, this.client));
  }

  /** The seed's `executeOperation`: retry policy, breaker, metrics and error mapping. */
  protected executeOperation<R>(name: string, fn: () => Promise<R>, options?: OperationOptions<R>): Promise<R> {
    return withSpan(`${this.runner.repository}.${name}`, () => (this.tx ? this.runner.direct(name, fn) : this.runner.run(name, fn, options)));
  }

  /** Parses input with a Zod schema; failures become `VALIDATION` before any query. */
  protected parse<S>(operation: string, schema: ZodType<S> | undefined, input: unknown): S {
    if (!schema) return input as S;
    const result = schema.safeParse(input);
    if (!result.success) throw this.runner.rejectInput(operation, result.error);
    return result.data;
  }

  /** Adds the soft-delete filter unless deleted rows were asked for. */
  protected scope(where: object | undefined, includeDeleted = false): object | undefined {
    const field = this.#config.softDeleteField;
    if (!field || includeDeleted) return where;
    return where ? { AND: [where, { [field]: false }] } : { [field]: false };
  }

  /** Hook: called with rows that changed (cache invalidation). Runs after commit in a transaction. */
  protected async onChanged(_rows: T[]): Promise<void> {
    /* no cache to invalidate by default */
  }

  /** Hook: called after a bulk write whose rows are not known (updateMany, createMany). */
  protected async onBulkChanged(): Promise<void> {
    /* no cache to invalidate by default */
  }

  /**
   * Runs cache work now, or after commit when inside a transaction. Cache failures never fail a
   * write. Every write passes here, so this is also where read-your-writes learns of it. An
   * announcing repository's work runs at once inside the transaction: its `announce` sends the
   * NOTIFY there and itself waits for the commit with the cache work.
   */
  protected async afterWrite(work: () => Promise<void>): Promise<void> {
    this.deps.replicas?.noteWrite();
    if (this.tx) {
      if (this.#config.announces) await work();
      else this.tx.afterCommit.push(work);
      return;
    }
    await work().catch((error: unknown) => this.deps.logger?.warn?.({ op: `${this.runner.repository}.invalidate`, err: (error as Error)?.name }, 'cache invalidation failed'));
  }

  /**
   * True when a write must open a transaction of its own to NOTIFY its change in it (an
   * announcing repository, a Postgres bus channel, not already in a transaction).
   */
  protected get notifiesInOwnTransaction(): boolean {
    return this.#config.announces === true && this.tx === undefined && this.deps.notifyChannel !== undefined && this.deps.cache?.prepareChange !== undefined;
  }

  /**
   * Announces a security-relevant change. Inside a transaction: `pg_notify` now (Postgres
   * delivers it on commit and drops it on rollback) and the cache work after the commit. Outside
   * one (creations, housekeeping): the cache work now, over the Redis bus only.
   */
  protected async announce(change: CacheChange): Promise<void> {
    const cache = this.deps.cache;
    if (!cache) return;
    // Only an announcing repository runs this inside its transaction (see `afterWrite`); any other
    // runs it after the commit, when the transaction's client can no longer send anything.
    const tx = this.#config.announces ? this.tx : undefined;
    if (!cache.prepareChange) {
      const legacy = async () => {
        if (change.keys?.length) await cache.delete(...change.keys);
        if (change.tags?.length) await cache.invalidateTags(change.tags);
      };
      if (tx) tx.afterCommit.push(legacy);
      else await legacy();
      return;
    }
    const prepared = cache.prepareChange(change);
    if (!tx) return prepared.apply();
    const channel = this.deps.notifyChannel;
    if (channel !== undefined) await this.runner.direct('notify', () => tx.client.$executeRaw`SELECT pg_notify(${channel}, ${prepared.payload})`);
    tx.afterCommit.push(prepared.apply);
  }

  /**
   * Cache-first read (`getOrSet`) when a cache is configured and we are not in a transaction.
   * `revive` (a module-level constant: L1 recognises it by reference) runs once per load inside
   * the cache, which keeps the revived, deep-frozen row in L1: a hit returns it without copying
   * or parsing. Rows from here are read-only; copy before changing them.
   */
  protected async cached<R>(key: string, options: { resource: CacheResource; tags?: string[]; revive: (value: unknown) => R }, loader: () => Promise<R | null>): Promise<R | null> {
    const cache = this.deps.cache;
    if (!cache || this.tx) return loader();
    const value = await cache.getOrSet<R | null>(key, loader, { resource: options.resource, tags: options.tags, decode: revivedBy(options.revive) });
    if (value === null || value === undefined) return null;
    // An ICache that ignores `decode` (a test fake, another implementation) hands back raw values.
    return isRevived(value) ? value : options.revive(value);
  }

  async findById(id: string, options: FindByIdOptions = {}): Promise<T | null> {
    const { includeDeleted, ...rest } = options;
    if (this.#config.softDeleteField && !includeDeleted) {
      return this.executeOperation('findById', () => this.delegate.findFirst({ where: this.scope({ id }), ...rest }) as Promise<T | null>);
    }
    return this.executeOperation('findById', () => this.delegate.findUnique({ where: { id }, ...rest }) as Promise<T | null>);
  }

  async findFirst(options: FindFirstOptions<TWhere> = {}): Promise<T | null> {
    const { includeDeleted, where, readFrom, ...rest } = options;
    return this.#read('findFirst', readFrom, (d) => d.findFirst({ ...rest, where: this.scope(where, includeDeleted) }) as Promise<T | null>);
  }

  async findMany(options: FindManyOptions<TWhere> = {}): Promise<T[]> {
    const { includeDeleted, where, readFrom, ...rest } = options;
    return this.#read('findMany', readFrom, (d) => d.findMany({ ...rest, where: this.scope(where, includeDeleted) }) as Promise<T[]>);
  }

  async count(where?: TWhere, options: { includeDeleted?: boolean; readFrom?: ReadFrom } = {}): Promise<number> {
    return this.#read('count', options.readFrom, (d) => d.count({ where: this.scope(where, options.includeDeleted) }));
  }

  async exists(where: TWhere, options: { includeDeleted?: boolean } = {}): Promise<boolean> {
    const row = await this.executeOperation('exists', () => this.delegate.findFirst({ where: this.scope(where, options.includeDeleted), select: { id: true } }));
    return row !== null;
  }

  /** Hook: turns parsed create input into Prisma `data` (audit fields, defaults). */
  protected toCreateData(input: Row): Row {
    return input;
  }

  /**
   * Inserts one row. The id is chosen before sending, so when the connection drops mid-write
   * the repository can check whether the row landed instead of inserting it twice.
   */
  async create(data: TCreate): Promise<T> {
    const input = this.parse<Row>('create', this.#config.createSchema, data);
    const row = this.toCreateData({ ...input, id: (input['id'] as string | undefined) ?? randomUUID() });
    const created = await this.executeOperation('create', () => this.delegate.create({ data: row }) as Promise<T>, {
      idempotent: false,
      reconcile: async () => ((await this.delegate.findUnique({ where: { id: row['id'] } })) as T | null) ?? undefined,
    });
    await this.afterWrite(() => this.onChanged([created]));
    return created;
  }

  /** Inserts many rows in one statement (all or none); returns how many were inserted. */
  async createMany(data: TCreate[], options: { skipDuplicates?: boolean } = {}): Promise<number> {
    const rows = data.map((item) => {
      const input = this.parse<Row>('createMany', this.#config.createSchema, item);
      return this.toCreateData({ ...input, id: (input['id'] as string | undefined) ?? randomUUID() });
    });
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r['id']);
    const { count } = await this.executeOperation('createMany', () => this.delegate.createMany({ data: rows, skipDuplicates: options.skipDuplicates }), {
      idempotent: false,
      // One INSERT is atomic: either every id is there (it landed) or none is (send again).
      reconcile: async () => {
        const found = await this.delegate.count({ where: { id: { in: ids } } });
        return found === 0 ? undefined : { count: found };
      },
    });
    await this.afterWrite(() => this.onBulkChanged());
    return count;
  }

  /** Hook: turns parsed update input into Prisma `data`. */
  protected toUpdateData(input: Row): Row {
    return input;
  }

  async update(id: string, data: TUpdate): Promise<T> {
    if (this.notifiesInOwnTransaction) return this.transaction((repo) => repo.update(id, data));
    const input = this.toUpdateData(this.parse<Row>('update', this.#config.updateSchema, data));
    const updated = await this.executeOperation('update', () => this.delegate.update({ where: { id }, data: input }) as Promise<T>);
    await this.afterWrite(() => this.onChanged([updated]));
    return updated;
  }

  /** Updates every row matching `where` (Prisma data, not validated); returns the count. */
  async updateMany(where: TWhere, data: Row): Promise<number> {
    if (this.notifiesInOwnTransaction) return this.transaction((repo) => repo.updateMany(where, data));
    const { count } = await this.executeOperation('updateMany', () => this.delegate.updateMany({ where, data }));
    await this.afterWrite(() => this.onBulkChanged());
    return count;
  }

  async upsert(where: Row, create: TCreate, update: TUpdate): Promise<T> {
    if (this.notifiesInOwnTransaction) return this.transaction((repo) => repo.upsert(where, create, update));
    const createInput = this.parse<Row>('upsert', this.#config.createSchema, create);
    const createData = this.toCreateData({ ...createInput, id: (createInput['id'] as string | undefined) ?? randomUUID() });
    const updateData = this.toUpdateData(this.parse<Row>('upsert', this.#config.updateSchema, update));
    const row = await this.executeOperation('upsert', () => this.delegate.upsert({ where, create: createData, update: updateData }) as Promise<T>);
    await this.afterWrite(() => this.onChanged([row]));
    return row;
  }

  /** Deletes a row for good (see `softDelete` where the model has one). NOT_FOUND when absent. */
  async delete(id: string): Promise<T> {
    if (this.notifiesInOwnTransaction) return this.transaction((repo) => repo.delete(id));
    const row = await this.executeOperation('delete', () => this.delegate.delete({ where: { id } }) as Promise<T>, { idempotent: false });
    await this.afterWrite(() => this.onChanged([row]));
    return row;
  }

  /** Deletes every row matching `where` for good; returns the count (the Better-Auth adapter's deleteMany). */
  async deleteMany(where: TWhere): Promise<number> {
    if (this.notifiesInOwnTransaction) return this.transaction((repo) => repo.deleteMany(where));
    const { count } = await this.executeOperation('deleteMany', () => (this.delegate as Delegate & { deleteMany(args: object): Promise<{ count: number }> }).deleteMany({ where }));
    await this.afterWrite(() => this.onBulkChanged());
    return count;
  }

  /** A page of rows and the total, read in one consistent snapshot. */
  async paginate(options: PaginateOptions<TWhere> = {}): Promise<Page<T>> {
    const { page = 1, pageSize = 20, includeDeleted, where, readFrom, ...rest } = options;
    const size = Math.min(Math.max(1, Math.floor(pageSize)), MAX_PAGE_SIZE);
    const current = Math.max(1, Math.floor(page));
    const scoped = this.scope(where, includeDeleted);
    const [total, items] = await this.#read('paginate', readFrom, async (delegate, client) => {
      const count = delegate.count({ where: scoped });
      const rows = delegate.findMany({ ...rest, where: scoped, skip: (current - 1) * size, take: size });
      if (this.tx) return [await count, await rows] as [number, T[]];
      // A read-only batch transaction: one snapshot, on whichever server `client` is.
      return (await (client as PrismaClient).$transaction([count, rows] as never)) as [number, T[]];
    });
    const totalPages = Math.ceil(total / size);
    return { items, total, page: current, pageSize: size, totalPages, hasNext: current < totalPages };
  }

  /**
   * Runs `fn` in one database transaction with a copy of this repository bound to it (the
   * seed's `userRepo.transaction(async (repo) => …)`). Rolls back when `fn` throws; reruns the
   * whole of `fn` on serialization failures and deadlocks, so `fn` must not have side effects
   * outside the database. Cache invalidations of its writes run after the commit.
   */
  async transaction<R>(fn: (repo: this) => Promise<R>, options: TransactionOptions = {}): Promise<R> {
    if (this.tx) return fn(this);
    const opts = { ...DEFAULT_TRANSACTION_OPTIONS, ...options };
    let afterCommit: Array<() => Promise<void>> = [];
    const result = await withSpan(`${this.runner.repository}.transaction`, () => this.runner.runTransaction(() => {
      afterCommit = [];
      return this.deps.db.prisma.$transaction(
        (client) => fn(this.bindTo({ client, afterCommit, runners: new Map([[this.runner.repository, this.runner]]) })),
        { isolationLevel: opts.isolationLevel, maxWait: opts.maxWaitMs, timeout: opts.timeoutMs },
      );
    }, opts.maxRetries));
    for (const work of afterCommit) await this.afterWrite(work);
    return result;
  }

  /**
   * A transaction spanning several repositories: `fn` gets this repository and each of
   * `others` bound to the same transaction (e.g. a user and its Better-Auth account together).
   */
  async transactionWith<R, O extends Array<{ bindTo(tx: TransactionState): unknown }>>(
    others: [...O],
    fn: (repo: this, ...bound: O) => Promise<R>,
    options: TransactionOptions = {},
  ): Promise<R> {
    return this.transaction((repo) => {
      const state = repo.tx as TransactionState;
      return fn(repo, ...(others.map((other) => other.bindTo(state)) as O));
    }, options);
  }

  /** A copy of this repository bound to a transaction (or another repository's transaction). */
  bindTo(tx: TransactionState): this {
    const Ctor = this.constructor as new (deps: RepositoryDependencies, configOrTx?: unknown, tx?: TransactionState) => this;
    if (Ctor === (BaseRepository as unknown)) return new BaseRepository(this.deps, this.#config, tx) as this;
    return new Ctor(this.deps, tx);
  }

  /** The seed's per-repository figures: operation count, errors, mean time, last operation. */
  getMetrics(): RepositoryMetrics {
    return this.runner.metrics();
  }
}
