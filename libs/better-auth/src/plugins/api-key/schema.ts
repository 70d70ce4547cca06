import { z } from 'zod';
import { apiKeyPermissionsSchema, jsonObjectSchema, permissionMapSchema } from '@libs/database/models';

// Limits follow docs/input-limits.md: every string bounded, NUL bytes refused before Postgres sees them.
const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().max(max).refine(noNul, 'NUL bytes are not allowed');

export const scopeSchema = text(128).min(1).regex(/^[A-Za-z0-9_.:*-]+$/, 'scope characters: letters, digits, _ . : * -');
export const scopesSchema = z.array(scopeSchema).max(64);
/** Scopes as `resource:action` strings, or the permission map (`{ orders: ['read'] }`): one format once parsed (`permissionStrings`). */
export const scopeListSchema = z.union([scopesSchema, permissionMapSchema]);

export const rateLimitSchema = z
  .object({
    max: z.number().int().min(1).max(1_000_000).meta({ description: 'Requests allowed per window' }),
    windowMs: z.number().int().min(1_000).max(86_400_000).meta({ description: 'Window length in milliseconds' }),
  })
  .strict();

/** Seconds until expiry: at least a minute, at most ten years. */
const expiresInSchema = z.number().int().min(60).max(315_360_000);

/** The stock plugin's `configId`: one configuration exists here, so `default` only (anything else: 400 VALIDATION_ERROR). */
const configIdSchema = z.literal('default').optional().meta({ description: 'Stock plugin field: only the default configuration exists here' });

/**
 * Fields of the stock `@better-auth/api-key` plugin's bodies (1.7). Accepted so a stock client's
 * request parses; stockBody.ts maps what this plugin supports and refuses the rest (400
 * UNSUPPORTED_FIELD), never ignoring one silently.
 */
const stockKeyFields = {
  configId: configIdSchema,
  metadata: jsonObjectSchema.nullish().meta({ description: 'Your own data about the key (object); `rateLimit`, `rotatedFrom`, `deletedAt` are reserved' }),
  rateLimitEnabled: z.boolean().optional().meta({ description: 'Stock field: true only (every key is rate limited)' }),
  rateLimitTimeWindow: z.number().int().min(1_000).max(86_400_000).optional().meta({ description: 'Stock spelling of rateLimit.windowMs (with rateLimitMax)' }),
  rateLimitMax: z.number().int().min(1).max(1_000_000).optional().meta({ description: 'Stock spelling of rateLimit.max (with rateLimitTimeWindow)' }),
  remaining: z.number().nullish().meta({ description: 'Stock usage quota: not supported (null only)' }),
  refillAmount: z.number().optional().meta({ description: 'Stock quota refill: not supported' }),
  refillInterval: z.number().optional().meta({ description: 'Stock quota refill: not supported' }),
  userId: z.string().max(64).optional().meta({ description: 'Stock server-only field: only the signed-in user’s own id' }),
  organizationId: z.string().max(64).optional().meta({ description: 'Stock organization keys: not supported' }),
};

export const createKeyBodySchema = z
  .object({
    ...stockKeyFields,
    name: text(255).min(1).optional().meta({ description: 'A name for the key (default: "API key")' }),
    scopes: scopeListSchema.optional().meta({ description: 'Permissions the key grants (`resource:action`, `resource:*`, `*` = all its owner holds)' }),
    permissions: apiKeyPermissionsSchema.nullish().meta({ description: 'More of the grant as resource → actions, e.g. { "users": ["read"] }' }),
    expiresIn: expiresInSchema.nullish().meta({ description: 'Seconds until the key expires; none = never' }),
    prefix: z.string().regex(/^[a-z][a-z0-9]{0,15}(_[a-z0-9]{1,16})?_?$/).optional().meta({ description: 'Readable key prefix, e.g. sk_live (a trailing "_", as stock prefixes end, is dropped)' }),
    rateLimit: rateLimitSchema.optional().meta({ description: 'Fixed-window limit of this key' }),
  })
  .strict();

export const updateKeyBodySchema = z
  .object({
    ...stockKeyFields,
    enabled: z.boolean().optional().meta({ description: 'false disables the key (status INACTIVE), true enables it again' }),
    keyId: text(64).min(1),
    name: text(255).min(1).optional(),
    scopes: scopeListSchema.optional(),
    permissions: apiKeyPermissionsSchema.nullish(),
    expiresIn: expiresInSchema.nullish().meta({ description: 'Seconds from now; null = never expires' }),
    rateLimit: rateLimitSchema.nullish().meta({ description: 'null = the default limit' }),
  })
  .strict();

export const keyIdBodySchema = z.object({ keyId: text(64).min(1) }).strict();

/** `POST /api-key/delete`, the stock body. */
export const deleteKeyBodySchema = z.object({ keyId: text(64).min(1), configId: configIdSchema }).strict();

/** `GET /api-key/get?id=`, the stock query. */
export const getKeyQuerySchema = z.object({ id: text(64).min(1), configId: configIdSchema });

/** `GET /api-key/list`: the stock query (all optional; no query lists everything). */
export const listKeysQuerySchema = z
  .object({
    configId: configIdSchema,
    organizationId: z.string().max(64).optional(),
    limit: z.coerce.number().int().nonnegative().optional(),
    offset: z.coerce.number().int().nonnegative().optional(),
    sortBy: z.enum(['createdAt', 'updatedAt', 'name', 'expiresAt', 'lastRequest']).optional(),
    sortDirection: z.enum(['asc', 'desc']).optional(),
  })
  .optional();

export const revokeKeyBodySchema = z.object({ keyId: text(64).min(1), reason: text(255).optional() }).strict();

/** `key` is not length-checked here: an over-long key must get the same 401 as a wrong one. */
export const verifyKeyBodySchema = z
  .object({
    key: z.string().meta({ description: 'The API key to check' }),
    scopes: scopeListSchema.optional().meta({ description: 'Scopes the key must grant (strings or the permission map)' }),
    permissions: permissionMapSchema.optional().meta({ description: 'Stock spelling: the permission map the key must grant' }),
    configId: configIdSchema,
  })
  .strict();

export type CreateKeyBody = z.infer<typeof createKeyBodySchema>;
export type UpdateKeyBody = z.infer<typeof updateKeyBodySchema>;
export type VerifyKeyBody = z.infer<typeof verifyKeyBodySchema>;
