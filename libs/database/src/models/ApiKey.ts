import { z } from 'zod';
import type { Store } from './store';
import type { User } from './user';
import { dateSchema, idSchema, INPUT_LIMITS, jsonObjectSchema, safeString, type JsonValue } from './types';
import { flattenPermissionMap, permissionMapSchema } from './permissionFormat';

export const ApiKeyStatus = {
  ACTIVE: 'ACTIVE',
  REVOKED: 'REVOKED',
  EXPIRED: 'EXPIRED',
  INACTIVE: 'INACTIVE',
} as const;
export type ApiKeyStatus = (typeof ApiKeyStatus)[keyof typeof ApiKeyStatus];
export const apiKeyStatusSchema = z.enum(['ACTIVE', 'REVOKED', 'EXPIRED', 'INACTIVE']);

/**
 * An `ApiKey` row. Only the SHA-256 `keyHash` of the key is stored; `keyIdentifier` is the
 * public lookup part and `keyPreview` what a UI may show (`sk_live_ab12…9f`).
 */
export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  keyHash: z.string(),
  keyIdentifier: z.string(),
  keyPreview: z.string(),
  userId: z.string(),
  storeId: z.string().nullable(),
  status: apiKeyStatusSchema,
  /** Mirrors `status === 'ACTIVE'` for the seed's `findFirst({ where: { keyHash, isActive: true } })`. */
  isActive: z.boolean(),
  permissions: z.json().nullable(),
  scopes: z.array(z.string()),
  expiresAt: dateSchema.nullable(),
  lastUsedAt: dateSchema.nullable(),
  usageCount: z.number().int(),
  revokedAt: dateSchema.nullable(),
  revokedBy: z.string().nullable(),
  revokedReason: z.string().nullable(),
  metadata: z.json().nullable(),
  createdBy: z.string().nullable(),
  createdAt: dateSchema,
  updatedAt: dateSchema,
});

export interface ApiKey extends Omit<z.infer<typeof ApiKeySchema>, 'permissions' | 'metadata'> {
  permissions: JsonValue | null;
  metadata: JsonValue | null;
  user?: User;
  store?: Store | null;
}

const scopesSchema = z.array(safeString(INPUT_LIMITS.scope).min(1)).max(INPUT_LIMITS.scopes);

/**
 * A key's `permissions` JSON: the permission map (resource → actions), as Better-Auth's api-key
 * plugin writes it (`{ "users": ["read"], "orders": ["read", "write"], "reports": ["*"] }`).
 */
export const apiKeyPermissionsSchema = permissionMapSchema;
export type ApiKeyPermissions = z.infer<typeof apiKeyPermissionsSchema>;

/**
 * What a key may do, as `resource:action` strings: its `scopes` (`orders:read`, `orders:*`, or `*`
 * for everything its owner may do) together with its `permissions` JSON flattened. Empty: the key
 * identifies its owner but grants no permission. A stored `permissions` value not in the format
 * above grants nothing (it is refused when written).
 */
export function apiKeyGrant(key: { scopes: readonly string[]; permissions: JsonValue | null }): string[] {
  const parsed = key.permissions === null ? undefined : apiKeyPermissionsSchema.safeParse(key.permissions);
  return [...new Set([...key.scopes, ...(parsed?.success ? flattenPermissionMap(parsed.data) : [])])];
}

export const ApiKeyCreateInputSchema = z
  .object({
    name: safeString(INPUT_LIMITS.name).min(1),
    userId: idSchema,
    storeId: idSchema.nullish(),
    scopes: scopesSchema.optional(),
    permissions: apiKeyPermissionsSchema.nullish(),
    expiresAt: dateSchema.nullish(),
    metadata: jsonObjectSchema.nullish(),
    createdBy: idSchema.optional(),
    /** Readable prefix of the generated key, e.g. `sk_live`. @default 'sk' */
    prefix: z.string().regex(/^[a-z][a-z0-9]{0,15}(_[a-z0-9]{1,16})?$/, 'short lower-case prefix').optional(),
  })
  .strict();
export type ApiKeyCreateInput = z.input<typeof ApiKeyCreateInputSchema>;

export const ApiKeyUpdateInputSchema = z
  .object({
    name: safeString(INPUT_LIMITS.name).min(1).optional(),
    scopes: scopesSchema.optional(),
    permissions: apiKeyPermissionsSchema.nullish(),
    expiresAt: dateSchema.nullish(),
    metadata: jsonObjectSchema.nullish(),
    status: z.enum(['ACTIVE', 'INACTIVE']).optional(),
  })
  .strict();
export type ApiKeyUpdateInput = z.input<typeof ApiKeyUpdateInputSchema>;

/** Why a key was refused. */
export type ApiKeyRejection = 'MALFORMED' | 'NOT_FOUND' | 'REVOKED' | 'EXPIRED' | 'INACTIVE' | 'INSUFFICIENT_SCOPE';

export interface ApiKeyValidationResult {
  valid: boolean;
  /** The key without its hash, when found. */
  apiKey?: Omit<ApiKey, 'keyHash'>;
  reason?: ApiKeyRejection;
  /** Required scopes the key lacks (with `INSUFFICIENT_SCOPE`). */
  missingScopes?: string[];
  userId?: string;
  storeId?: string | null;
  scopes?: string[];
  permissions?: JsonValue | null;
}

/**
 * A presented key looked up: its row (without the hash) when the identifier exists and the secret
 * matches, else why not. Status, expiry and scopes are not judged here (the access core does).
 */
export type PresentedApiKey = { apiKey: Omit<ApiKey, 'keyHash'> } | { apiKey: null; reason: 'MALFORMED' | 'NOT_FOUND' };

/** What `ApiKeyRepository.create` returns: the row and the plain key, shown once. */
export interface CreatedApiKey {
  apiKey: Omit<ApiKey, 'keyHash'>;
  /** The full key. It is not stored anywhere: show it once. */
  plainKey: string;
}

/** Parses a key read back from a JSON cache (ISO strings become Dates again). */
export function reviveApiKey(value: unknown): ApiKey {
  return ApiKeySchema.parse(value) as ApiKey;
}
