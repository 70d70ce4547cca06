import { randomUUID } from 'node:crypto';
import type { ZodType } from 'zod';
import { RepositoryError } from '../../errors/RepositoryError';
import { toRepositoryError } from '../../errors/toRepositoryError';
import type { Page } from '../../models/types';
import { MAX_PAGE_SIZE } from '../../postgress/repositories/base';
import type { FindByIdOptions, FindFirstOptions, FindManyOptions, PaginateOptions, RepositoryMetrics } from '../../postgress/repositories/types';
import { applySelect, compareBy, matchWhere } from './matchWhere';

type Row = Record<string, unknown>;

export interface InMemoryRepositoryConfig<T> {
  name: string;
  /** Field sets that must be unique (as in schema.prisma). */
  uniques?: string[][];
  /** Builds a full row from parsed create input (defaults, timestamps). */
  build: (input: Row) => T;
  createSchema?: ZodType<Row>;
  updateSchema?: ZodType<Row>;
  softDeleteField?: string;
}

/**
 * An in-memory stand-in for `BaseRepository`, for consumers' unit tests: same methods, same
 * Zod validation and `RepositoryError` codes (VALIDATION, NOT_FOUND, UNIQUE_VIOLATION), a
 * Prisma-like `where`, and transactions that roll back. `failNext` injects a failure.
 */
export class InMemoryRepository<T, TWhere extends object = Row, TCreate extends object = Row, TUpdate extends object = Row> {
  protected rows = new Map<string, T>();
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  readonly #config: InMemoryRepositoryConfig<T>;
  readonly #failures: Array<{ method: string; error: unknown }> = [];
  #references: Record<string, { holds(id: string): boolean }> = {};
  #operations = 0;
  #errors = 0;

  constructor(config: InMemoryRepositoryConfig<T>) {
    this.#config = config;
  }

  /** Makes the next call of `method` throw `error` (a RepositoryError, e.g. CIRCUIT_OPEN). */
  failNext(method: string, error: unknown = new RepositoryError('TRANSIENT', `${this.#config.name}.${method}: injected failure`, { operation: `${this.#config.name}.${method}` })): this {
    this.#failures.push({ method, error });
    return this;
  }

  /** Foreign keys, as schema.prisma declares them: a field whose value must be a row of another repository. */
  references(links: Record<string, { holds(id: string): boolean }>): this {
    this.#references = { ...this.#references, ...links };
    return this;
  }

  /** Whether a row with this id exists (soft-deleted included), for the foreign keys of other repositories. */
  holds(id: string): boolean {
    return this.rows.has(id);
  }

  /** All rows, soft-deleted included (for assertions). */
  all(): T[] {
    return [...this.rows.values()].map((r) => structuredClone(r));
  }

  reset(): void {
    this.rows.clear();
    this.calls.length = 0;
  }

  protected track(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    this.#operations++;
    const i = this.#failures.findIndex((f) => f.method === method);
    if (i >= 0) {
      this.#errors++;
      throw this.#failures.splice(i, 1)[0].error;
    }
  }

  protected parse(method: string, schema: ZodType<Row> | undefined, input: unknown): Row {
    if (!schema) return input as Row;
    const result = schema.safeParse(input);
    if (!result.success) {
      this.#errors++;
      throw toRepositoryError(result.error, `${this.#config.name}.${method}`);
    }
    return result.data;
  }

  protected notFound(method: string): RepositoryError {
    this.#errors++;
    return new RepositoryError('NOT_FOUND', `${this.#config.name}.${method}: record not found`, { operation: `${this.#config.name}.${method}` });
  }

  #checkUnique(method: string, row: Row, ignoreId?: string): void {
    for (const fields of this.#config.uniques ?? []) {
      if (fields.some((f) => row[f] == null)) continue;
      const clash = [...this.rows.values()].some((other) => (other as Row)['id'] !== ignoreId && fields.every((f) => (other as Row)[f] === row[f]));
      if (clash) {
        this.#errors++;
        throw new RepositoryError('UNIQUE_VIOLATION', `${this.#config.name}.${method}: unique constraint violated on ${fields.join(', ')}`, { operation: `${this.#config.name}.${method}`, fields });
      }
    }
  }

  #checkReferences(method: string, row: Row): void {
    for (const [field, target] of Object.entries(this.#references)) {
      const value = row[field];
      if (value === null || value === undefined || target.holds(String(value))) continue;
      this.#errors++;
      throw new RepositoryError('FOREIGN_KEY', `${this.#config.name}.${method}: foreign key violated on ${field}`, { operation: `${this.#config.name}.${method}`, fields: [field] });
    }
  }

  protected visible(includeDeleted = false): T[] {
    const field = this.#config.softDeleteField;
    const rows = [...this.rows.values()];
    return field && !includeDeleted ? rows.filter((r) => !(r as Row)[field]) : rows;
  }

  protected insert(method: string, input: Row): T {
    const row = this.#config.build({ ...input, id: input['id'] ?? randomUUID() }) as Row;
    this.#checkUnique(method, row);
    this.#checkReferences(method, row);
    this.rows.set(row['id'] as string, row as T);
    return structuredClone(row) as T;
  }

  protected patch(method: string, id: string, data: Row): T {
    const current = this.rows.get(id) as Row | undefined;
    if (!current) throw this.notFound(method);
    const next: Row = { ...current, ...Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) };
    if ('updatedAt' in current && !('updatedAt' in data)) next['updatedAt'] = new Date();
    this.#checkUnique(method, next, id);
    this.#checkReferences(method, next);
    this.rows.set(id, next as T);
    return structuredClone(next) as T;
  }

  async findById(id: string, options: FindByIdOptions = {}): Promise<T | null> {
    this.track('findById', [id, options]);
    const row = this.visible(options.includeDeleted).find((r) => (r as Row)['id'] === id);
    return row ? (applySelect(structuredClone(row) as Row, options.select) as T) : null;
  }

  async findFirst(options: FindFirstOptions<TWhere> = {}): Promise<T | null> {
    this.track('findFirst', [options]);
    return (await this.#query({ ...options, take: 1 }))[0] ?? null;
  }

  async findMany(options: FindManyOptions<TWhere> = {}): Promise<T[]> {
    this.track('findMany', [options]);
    return this.#query(options);
  }

  async #query(options: FindManyOptions<TWhere>): Promise<T[]> {
    const rows = (this.visible(options.includeDeleted) as Row[])
      .filter((r) => matchWhere(r, options.where as Row))
      .sort(compareBy(options.orderBy as Row));
    const start = options.skip ?? 0;
    return rows.slice(start, options.take === undefined ? undefined : start + options.take).map((r) => applySelect(structuredClone(r), options.select) as T);
  }

  async count(where?: TWhere, options: { includeDeleted?: boolean } = {}): Promise<number> {
    this.track('count', [where]);
    return this.visible(options.includeDeleted).filter((r) => matchWhere(r as Row, where as Row)).length;
  }

  async exists(where: TWhere, options: { includeDeleted?: boolean } = {}): Promise<boolean> {
    return (await this.count(where, options)) > 0;
  }

  async create(data: TCreate): Promise<T> {
    this.track('create', [data]);
    return this.insert('create', this.parse('create', this.#config.createSchema, data));
  }

  async createMany(data: TCreate[], options: { skipDuplicates?: boolean } = {}): Promise<number> {
    this.track('createMany', [data]);
    const snapshot = new Map(this.rows);
    let n = 0;
    try {
      for (const item of data) {
        try {
          this.insert('createMany', this.parse('createMany', this.#config.createSchema, item));
          n++;
        } catch (error) {
          if (!(options.skipDuplicates && error instanceof RepositoryError && error.code === 'UNIQUE_VIOLATION')) throw error;
        }
      }
    } catch (error) {
      this.rows = snapshot; // one INSERT: all or nothing
      throw error;
    }
    return n;
  }

  async update(id: string, data: TUpdate): Promise<T> {
    this.track('update', [id, data]);
    return this.patch('update', id, this.parse('update', this.#config.updateSchema, data));
  }

  async updateMany(where: TWhere, data: Row): Promise<number> {
    this.track('updateMany', [where, data]);
    const ids = [...this.rows.values()].filter((r) => matchWhere(r as Row, where as Row)).map((r) => (r as Row)['id'] as string);
    for (const id of ids) this.patch('updateMany', id, data);
    return ids.length;
  }

  async upsert(where: Row, create: TCreate, update: TUpdate): Promise<T> {
    this.track('upsert', [where, create, update]);
    const existing = [...this.rows.values()].find((r) => matchWhere(r as Row, where));
    if (existing) return this.patch('upsert', (existing as Row)['id'] as string, this.parse('upsert', this.#config.updateSchema, update));
    return this.insert('upsert', this.parse('upsert', this.#config.createSchema, create));
  }

  async delete(id: string): Promise<T> {
    this.track('delete', [id]);
    const row = this.rows.get(id);
    if (!row) throw this.notFound('delete');
    this.rows.delete(id);
    return row;
  }

  async deleteMany(where: TWhere): Promise<number> {
    this.track('deleteMany', [where]);
    const ids = [...this.rows.values()].filter((r) => matchWhere(r as Row, where as Row)).map((r) => (r as Row)['id'] as string);
    for (const id of ids) this.rows.delete(id);
    return ids.length;
  }

  async paginate(options: PaginateOptions<TWhere> = {}): Promise<Page<T>> {
    const { page = 1, pageSize = 20, ...rest } = options;
    const size = Math.min(Math.max(1, Math.floor(pageSize)), MAX_PAGE_SIZE);
    const total = await this.count(rest.where, rest);
    const items = await this.findMany({ ...rest, skip: (page - 1) * size, take: size });
    const totalPages = Math.ceil(total / size);
    return { items, total, page, pageSize: size, totalPages, hasNext: page < totalPages };
  }

  /** Runs `fn` with this fake; its rows are restored when `fn` throws. */
  async transaction<R>(fn: (repo: this) => Promise<R>): Promise<R> {
    const snapshot = new Map([...this.rows].map(([k, v]) => [k, structuredClone(v)]));
    try {
      return await fn(this);
    } catch (error) {
      this.rows = snapshot;
      throw error;
    }
  }

  /** Runs `fn` with this fake and `others` as they are; only this fake's rows roll back. */
  async transactionWith<R, O extends unknown[]>(others: [...O], fn: (repo: this, ...bound: O) => Promise<R>): Promise<R> {
    return this.transaction((repo) => fn(repo, ...others));
  }

  bindTo(): this {
    return this;
  }

  getMetrics(): RepositoryMetrics {
    return { operationCount: this.#operations, errorCount: this.#errors, averageResponseTime: 0, lastOperationTime: this.#operations ? Date.now() : null };
  }
}
