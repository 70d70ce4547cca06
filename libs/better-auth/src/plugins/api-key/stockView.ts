import type { ApiKey, JsonValue, PermissionMap } from '@libs/database/models';
import { previewPrefix } from '@libs/database/postgress/repositories';
import { keyRateLimit } from './ApiKeyVerifier';

/** Keys of a key's `metadata` this plugin writes itself; a client's own metadata may not use them. */
export const RESERVED_METADATA_KEYS = ['rateLimit', 'rotatedFrom', 'deletedAt'] as const;

/**
 * The fields the stock `@better-auth/api-key` plugin answers for a key (its `ApiKey` type without
 * the hash), computed from our row, so a stock client reads what it expects. Our row has no usage
 * quota nor refill (`remaining`, `refill*` are always null); `requestCount` is the key's total
 * use count (usage is buffered, so it trails by a few seconds), not a count within the window.
 */
export interface StockKeyFields {
  id: string;
  configId: 'default';
  name: string | null;
  start: string | null;
  prefix: string | null;
  referenceId: string;
  userId: string;
  enabled: boolean;
  rateLimitEnabled: boolean;
  rateLimitTimeWindow: number | null;
  rateLimitMax: number | null;
  requestCount: number;
  remaining: null;
  refillAmount: null;
  refillInterval: null;
  lastRefillAt: null;
  lastRequest: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  metadata: Record<string, JsonValue> | null;
  permissions: PermissionMap | null;
}

/** The client's own part of a key's metadata (the reserved keys left out), or null. */
export function clientMetadata(metadata: JsonValue | null): Record<string, JsonValue> | null {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return null;
  const own = Object.fromEntries(Object.entries(metadata).filter(([k]) => !(RESERVED_METADATA_KEYS as readonly string[]).includes(k))) as Record<string, JsonValue>;
  return Object.keys(own).length > 0 ? own : null;
}

/** Whether `POST /api-key/delete` removed the key from view (it stays as a revoked row). */
export function isDeleted(key: Pick<ApiKey, 'metadata'>): boolean {
  return typeof key.metadata === 'object' && key.metadata !== null && !Array.isArray(key.metadata) && 'deletedAt' in key.metadata;
}

export function toStockFields(key: Omit<ApiKey, 'keyHash'>): StockKeyFields {
  const limit = keyRateLimit(key);
  return {
    id: key.id,
    configId: 'default',
    name: key.name,
    start: key.keyPreview.split('…')[0] ?? null,
    prefix: previewPrefix(key.keyPreview) ?? null,
    referenceId: key.userId,
    userId: key.userId,
    enabled: key.status !== 'INACTIVE' && key.status !== 'REVOKED',
    // Keys without their own limit get the plugin's default one (ApiKeyVerifierOptions.defaultRateLimit).
    rateLimitEnabled: true,
    rateLimitTimeWindow: limit?.windowMs ?? null,
    rateLimitMax: limit?.max ?? null,
    requestCount: key.usageCount,
    remaining: null,
    refillAmount: null,
    refillInterval: null,
    lastRefillAt: null,
    lastRequest: key.lastUsedAt,
    expiresAt: key.expiresAt,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
    metadata: clientMetadata(key.metadata),
    permissions: (key.permissions as PermissionMap | null) ?? null,
  };
}
