import type { Prisma } from '../../generated/prisma/client';
import { ApiKeyCreateInputSchema, ApiKeyUpdateInputSchema, type ApiKey, type ApiKeyCreateInput, type ApiKeyUpdateInput, type CreatedApiKey, type PresentedApiKey } from '../../models';
import { generateKey, keyMatchesHash, parseKeyIdentifier } from '../../postgress/repositories/apiKeyMaterial';
import { buildApiKey } from './builders';
import { InMemoryRepository } from './InMemoryRepository';
import type { IApiKeyRepository } from '../../postgress/repositories/interfaces';

const withoutHash = ({ keyHash: _h, ...rest }: ApiKey): Omit<ApiKey, 'keyHash'> => rest;

/** In-memory `ApiKeyRepository` for unit tests: real key material and secret check; usage applied on flush. */
export class MockApiKeyRepository extends InMemoryRepository<ApiKey, Prisma.ApiKeyWhereInput, ApiKeyCreateInput, ApiKeyUpdateInput> implements IApiKeyRepository {
  readonly #pending = new Map<string, number>();

  constructor() {
    super({ name: 'apiKey', uniques: [['keyHash'], ['keyIdentifier']], build: buildApiKey, updateSchema: ApiKeyUpdateInputSchema });
  }

  async createKey(input: ApiKeyCreateInput): Promise<CreatedApiKey> {
    this.track('createKey', [input]);
    const { prefix, ...data } = this.parse('create', ApiKeyCreateInputSchema, input);
    const key = generateKey(prefix as string | undefined);
    const row = this.insert('create', { ...data, keyHash: key.keyHash, keyIdentifier: key.keyIdentifier, keyPreview: key.keyPreview });
    return { apiKey: withoutHash(row), plainKey: key.plainKey };
  }

  override async create(input: ApiKeyCreateInput): Promise<ApiKey & { plainKey: string }> {
    const { apiKey, plainKey } = await this.createKey(input);
    return { ...(apiKey as ApiKey), plainKey };
  }

  override async update(id: string, data: ApiKeyUpdateInput): Promise<ApiKey> {
    const updated = await super.update(id, data);
    return data.status ? this.patch('update', id, { isActive: data.status === 'ACTIVE' }) : updated;
  }

  async findByHash(keyHash: string): Promise<ApiKey | null> {
    return this.findFirst({ where: { keyHash } });
  }

  async findPresented(plainKey: string): Promise<PresentedApiKey> {
    this.track('findPresented', []);
    const identifier = parseKeyIdentifier(plainKey);
    if (!identifier) return { apiKey: null, reason: 'MALFORMED' };
    const key = [...this.rows.values()].find((k) => k.keyIdentifier === identifier);
    if (!key || !keyMatchesHash(plainKey, key.keyHash)) return { apiKey: null, reason: 'NOT_FOUND' };
    return { apiKey: withoutHash(structuredClone(key)) };
  }

  recordUse(keyId: string): void {
    this.#pending.set(keyId, (this.#pending.get(keyId) ?? 0) + 1);
  }

  async flushUsage(): Promise<number> {
    for (const [id, n] of this.#pending) {
      const key = this.rows.get(id);
      if (key) this.patch('flushUsage', id, { usageCount: key.usageCount + n, lastUsedAt: new Date() });
    }
    const keys = this.#pending.size;
    this.#pending.clear();
    return keys;
  }

  async close(): Promise<void> {
    await this.flushUsage();
  }

  async revoke(id: string, revokedBy: string, reason?: string): Promise<ApiKey> {
    this.track('revoke', [id, revokedBy, reason]);
    return this.patch('revoke', id, { status: 'REVOKED', isActive: false, revokedAt: new Date(), revokedBy, revokedReason: reason ?? null });
  }

  async rotate(id: string, rotatedBy: string): Promise<CreatedApiKey> {
    const old = this.rows.get(id);
    if (!old) throw this.notFound('rotate');
    const created = await this.createKey({
      name: old.name, userId: old.userId, storeId: old.storeId, scopes: old.scopes, expiresAt: old.expiresAt, createdBy: rotatedBy,
      metadata: { ...((old.metadata as Record<string, unknown> | null) ?? {}), rotatedFrom: old.id },
    });
    await this.revoke(id, rotatedBy, 'rotated');
    return created;
  }

  async listByUser(userId: string, options: { includeInactive?: boolean } = {}): Promise<Array<Omit<ApiKey, 'keyHash'>>> {
    return (await this.findMany({ where: { userId, ...(options.includeInactive ? {} : { isActive: true }) }, orderBy: { createdAt: 'desc' } })).map(withoutHash);
  }

  async listByStore(storeId: string, options: { includeInactive?: boolean } = {}): Promise<Array<Omit<ApiKey, 'keyHash'>>> {
    return (await this.findMany({ where: { storeId, ...(options.includeInactive ? {} : { isActive: true }) }, orderBy: { createdAt: 'desc' } })).map(withoutHash);
  }

  async expireSweep(now = new Date()): Promise<number> {
    return this.updateMany({ status: 'ACTIVE', expiresAt: { lte: now } }, { status: 'EXPIRED', isActive: false });
  }
}
