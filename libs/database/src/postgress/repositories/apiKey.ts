import type { Prisma } from '../../generated/prisma/client';
import {
  ApiKeyCreateInputSchema,
  ApiKeyUpdateInputSchema,
  reviveApiKey,
  type ApiKey,
  type ApiKeyCreateInput,
  type ApiKeyUpdateInput,
  type PresentedApiKey,
  type CreatedApiKey,
} from '../../models';
import { isRepositoryError } from '../../errors/RepositoryError';
import { BaseRepository } from './base';
import { cacheTags } from './cacheTags';
import { DEFAULT_NEGATIVE_LOOKUP_OPTIONS, NegativeLookups, type NegativeLookupOptions } from './NegativeLookups';
import { generateKey, keyMatchesHash, parseKeyIdentifier, previewPrefix } from './apiKeyMaterial';
import { ApiKeyUsageBuffer, writeUsage } from './apiKeyUsage';
import type { TransactionState } from './prismaTypes';
import type { RepositoryDependencies } from './types';
import type { IApiKeyRepository } from './interfaces/IApiKeyRepository';

export interface ApiKeyRepositoryOptions {
  /** Buffered usage is written at least this often. @default 5_000 */
  usageFlushIntervalMs?: number;
  /** …or as soon as this many validations are buffered. @default 10_000 */
  usageFlushThreshold?: number;
  /** Unknown key identifiers remembered in process, so a flood of random keys rarely reaches Postgres. */
  negativeLookup?: NegativeLookupOptions;
  /** Called when a presented key is malformed or matches no key (the app counts failed lookups per address). */
  onUnknownCredential?: () => void;
}

export const DEFAULT_API_KEY_REPOSITORY_OPTIONS = { usageFlushIntervalMs: 5_000, usageFlushThreshold: 10_000, negativeLookup: DEFAULT_NEGATIVE_LOOKUP_OPTIONS, onUnknownCredential: (): void => undefined };

const keyCache = {
  byIdentifier: (identifier: string) => `apikey:ident:${identifier}`,
  byHash: (hash: string) => `apikey:hash:${hash}`,
  tag: cacheTags.apiKey,
  all: cacheTags.allApiKeys,
} as const;

const withoutHash = ({ keyHash: _hash, ...rest }: ApiKey): Omit<ApiKey, 'keyHash'> => rest;

/**
 * API keys: only a SHA-256 hash of each key is stored; the plain key is returned once by
 * `create`/`rotate`. `findPresented` is cache-first and never writes; uses counted with
 * `recordUse` are buffered and flushed in batches (call `close()` on shutdown to write the rest).
 */
export class ApiKeyRepository extends BaseRepository<ApiKey, Prisma.ApiKeyWhereInput, ApiKeyCreateInput, ApiKeyUpdateInput> implements IApiKeyRepository {
  readonly #options: Required<ApiKeyRepositoryOptions>;
  readonly #usage: ApiKeyUsageBuffer;
  readonly #unknown: NegativeLookups;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<number> | undefined;

  constructor(deps: RepositoryDependencies & { apiKeys?: ApiKeyRepositoryOptions }, tx?: TransactionState, usage?: ApiKeyUsageBuffer, unknown?: NegativeLookups) {
    super(deps, { model: 'apiKey', announces: true, updateSchema: ApiKeyUpdateInputSchema }, tx);
    this.#options = { ...DEFAULT_API_KEY_REPOSITORY_OPTIONS, ...deps.apiKeys };
    this.#usage = usage ?? new ApiKeyUsageBuffer();
    this.#unknown = unknown ?? new NegativeLookups(this.#options.negativeLookup);
  }

  override bindTo(tx: TransactionState): this {
    return new ApiKeyRepository({ ...this.deps, apiKeys: this.#options }, tx, this.#usage, this.#unknown) as this;
  }

  protected override toUpdateData(input: Record<string, unknown>): Record<string, unknown> {
    // `isActive` mirrors status for the seed's `findFirst({ where: { keyHash, isActive: true } })`.
    return input['status'] ? { ...input, isActive: input['status'] === 'ACTIVE' } : input;
  }

  protected override async onChanged(rows: ApiKey[]): Promise<void> {
    for (const key of rows) this.#unknown.delete(key.keyIdentifier);
    await this.announce({
      events: rows.map((k) => ({ kind: 'key-changed', id: k.id })),
      keys: rows.flatMap((k) => [keyCache.byIdentifier(k.keyIdentifier), keyCache.byHash(k.keyHash)]),
      tags: rows.map((k) => keyCache.tag(k.id)),
    });
  }

  protected override async onBulkChanged(): Promise<void> {
    await this.announce({ events: [{ kind: 'all-keys-changed' }], tags: [keyCache.all] });
  }

  /** Creates a key (≥ 256 bits of entropy) and returns it once, with the stored row. */
  async createKey(input: ApiKeyCreateInput): Promise<CreatedApiKey> {
    const { prefix, ...data } = this.parse('create', ApiKeyCreateInputSchema, input);
    const { plainKey, keyHash, keyIdentifier, keyPreview } = generateKey(prefix);
    const row = await super.create({ ...data, keyHash, keyIdentifier, keyPreview, status: 'ACTIVE', isActive: true } as unknown as ApiKeyCreateInput);
    return { apiKey: withoutHash(row), plainKey };
  }

  /** Same as `createKey`, under the repository's generic name. The plain key is in the result. */
  override async create(input: ApiKeyCreateInput): Promise<ApiKey & { plainKey: string }> {
    const { apiKey, plainKey } = await this.createKey(input);
    return { ...(apiKey as ApiKey), plainKey };
  }

  /** Cache-first lookup by hash (the seed's Example 3 path). */
  async findByHash(keyHash: string): Promise<ApiKey | null> {
    return this.cached(keyCache.byHash(keyHash), { resource: 'apiKey', tags: [keyCache.all], revive: reviveApiKey }, () =>
      this.executeOperation('findByHash', () => this.client.apiKey.findUnique({ where: { keyHash } }) as Promise<ApiKey | null>),
    );
  }

  /**
   * The row of a presented key: shape, lookup by its public identifier (cache-first, unknown
   * identifiers remembered for a while), constant-time hash comparison. Returns rows only: its
   * status, expiry and scopes are the access core's to judge (libs/better-auth access/apiKeys.ts).
   * Never writes.
   */
  async findPresented(plainKey: string): Promise<PresentedApiKey> {
    const identifier = parseKeyIdentifier(plainKey);
    if (!identifier) {
      this.#options.onUnknownCredential();
      return { apiKey: null, reason: 'MALFORMED' };
    }
    if (this.#unknown.has(identifier)) {
      this.#options.onUnknownCredential();
      return { apiKey: null, reason: 'NOT_FOUND' };
    }
    const key = await this.cached(keyCache.byIdentifier(identifier), { resource: 'apiKey', tags: [keyCache.all], revive: reviveApiKey }, () =>
      this.executeOperation('validate', () => this.client.apiKey.findUnique({ where: { keyIdentifier: identifier } }) as Promise<ApiKey | null>),
    );
    if (!key) {
      if (!this.tx) this.#unknown.add(identifier);
      this.#options.onUnknownCredential();
      return { apiKey: null, reason: 'NOT_FOUND' };
    }
    if (!keyMatchesHash(plainKey, key.keyHash)) {
      this.#options.onUnknownCredential();
      return { apiKey: null, reason: 'NOT_FOUND' };
    }
    return { apiKey: withoutHash(key) };
  }

  /** Counts one use of a key: buffered, written in batches by `flushUsage`. */
  recordUse(keyId: string): void {
    this.#recordUse(keyId);
  }

  #recordUse(id: string): void {
    if (this.#usage.record(id) === this.#options.usageFlushThreshold) {
      void this.flushUsage();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flushUsage(), this.#options.usageFlushIntervalMs);
      this.#timer.unref();
    }
  }

  /** Writes buffered usage in one statement; returns the keys updated. Never throws. */
  flushUsage(): Promise<number> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#flushing) return this.#flushing.then(() => this.flushUsage());
    if (this.#usage.size === 0) return Promise.resolve(0);
    const uses = this.#usage.drain();
    this.#flushing = this.executeOperation('flushUsage', () => writeUsage(this.deps.db.prisma, uses), { idempotent: false })
      .catch((error: unknown) => {
        if (isRepositoryError(error) && !error.ambiguous) this.#usage.restore(uses);
        this.deps.logger?.warn?.({ op: 'apiKey.flushUsage', code: isRepositoryError(error) ? error.code : 'UNKNOWN', keys: uses.size }, 'API key usage flush failed');
        return 0;
      })
      .finally(() => {
        this.#flushing = undefined;
      });
    return this.#flushing;
  }

  /** Flushes buffered usage and stops the flush timer (call on shutdown). */
  async close(): Promise<void> {
    await this.flushUsage();
  }

  /** Revokes a key for good. NOT_FOUND when absent. */
  async revoke(id: string, revokedBy: string, reason?: string): Promise<ApiKey> {
    if (this.notifiesInOwnTransaction) return this.transaction((repo) => repo.revoke(id, revokedBy, reason));
    const key = await this.executeOperation('revoke', () =>
      this.client.apiKey.update({ where: { id }, data: { status: 'REVOKED', isActive: false, revokedAt: new Date(), revokedBy, revokedReason: reason ?? null } }),
    ) as ApiKey;
    await this.afterWrite(() => this.onChanged([key]));
    return key;
  }

  /** Issues a new key with the same name, owner, scopes and expiry, and revokes the old one, atomically. */
  async rotate(id: string, rotatedBy: string): Promise<CreatedApiKey> {
    return this.transaction(async (repo) => {
      const old = await repo.executeOperation('rotate.read', () => repo.client.apiKey.findUniqueOrThrow({ where: { id } })) as ApiKey;
      const created = await repo.createKey({
        name: old.name,
        userId: old.userId,
        storeId: old.storeId,
        scopes: old.scopes,
        permissions: (old.permissions ?? undefined) as ApiKeyCreateInput['permissions'],
        expiresAt: old.expiresAt,
        metadata: { ...((old.metadata as Record<string, unknown> | null) ?? {}), rotatedFrom: old.id },
        createdBy: rotatedBy,
        prefix: previewPrefix(old.keyPreview),
      });
      await repo.revoke(old.id, rotatedBy, 'rotated');
      return created;
    });
  }

  async listByUser(userId: string, options: { includeInactive?: boolean } = {}): Promise<Array<Omit<ApiKey, 'keyHash'>>> {
    const rows = await this.findMany({ where: { userId, ...(options.includeInactive ? {} : { isActive: true }) }, orderBy: { createdAt: 'desc' } });
    return rows.map(withoutHash);
  }

  async listByStore(storeId: string, options: { includeInactive?: boolean } = {}): Promise<Array<Omit<ApiKey, 'keyHash'>>> {
    const rows = await this.findMany({ where: { storeId, ...(options.includeInactive ? {} : { isActive: true }) }, orderBy: { createdAt: 'desc' } });
    return rows.map(withoutHash);
  }

  /** Marks ACTIVE keys past their expiry EXPIRED; returns how many. */
  async expireSweep(now = new Date()): Promise<number> {
    if (this.notifiesInOwnTransaction) return this.transaction((repo) => repo.expireSweep(now));
    const { count } = await this.executeOperation('expireSweep', () =>
      this.client.apiKey.updateMany({ where: { status: 'ACTIVE', expiresAt: { lte: now } }, data: { status: 'EXPIRED', isActive: false } }),
    );
    if (count > 0) await this.afterWrite(() => this.onBulkChanged());
    return count;
  }
}
