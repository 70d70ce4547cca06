import { z } from 'zod';
import { apiKeyPermissionsSchema } from '@libs/database/models';

// Limits follow docs/input-limits.md: every string bounded, NUL bytes refused before Postgres sees them.
const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().max(max).refine(noNul, 'NUL bytes are not allowed');

export const scopeSchema = text(128).min(1).regex(/^[A-Za-z0-9_.:*-]+$/, 'scope characters: letters, digits, _ . : * -');
export const scopesSchema = z.array(scopeSchema).max(64);

export const rateLimitSchema = z
  .object({
    max: z.number().int().min(1).max(1_000_000).meta({ description: 'Requests allowed per window' }),
    windowMs: z.number().int().min(1_000).max(86_400_000).meta({ description: 'Window length in milliseconds' }),
  })
  .strict();

/** Seconds until expiry: at least a minute, at most ten years. */
const expiresInSchema = z.number().int().min(60).max(315_360_000);

export const createKeyBodySchema = z
  .object({
    name: text(255).min(1).meta({ description: 'A name for the key' }),
    scopes: scopesSchema.optional().meta({ description: 'Permissions the key grants (`resource:action`, `resource:*`, `*` = all its owner holds)' }),
    permissions: apiKeyPermissionsSchema.nullish().meta({ description: 'More of the grant as resource → actions, e.g. { "users": ["read"] }' }),
    expiresIn: expiresInSchema.nullish().meta({ description: 'Seconds until the key expires; none = never' }),
    prefix: z.string().regex(/^[a-z][a-z0-9]{0,15}(_[a-z0-9]{1,16})?$/).optional().meta({ description: 'Readable key prefix, e.g. sk_live' }),
    rateLimit: rateLimitSchema.optional().meta({ description: 'Fixed-window limit of this key' }),
  })
  .strict();

export const updateKeyBodySchema = z
  .object({
    keyId: text(64).min(1),
    name: text(255).min(1).optional(),
    scopes: scopesSchema.optional(),
    permissions: apiKeyPermissionsSchema.nullish(),
    expiresIn: expiresInSchema.nullish().meta({ description: 'Seconds from now; null = never expires' }),
    rateLimit: rateLimitSchema.nullish().meta({ description: 'null = the default limit' }),
  })
  .strict();

export const keyIdBodySchema = z.object({ keyId: text(64).min(1) }).strict();

export const revokeKeyBodySchema = z.object({ keyId: text(64).min(1), reason: text(255).optional() }).strict();

/** `key` is not length-checked here: an over-long key must get the same 401 as a wrong one. */
export const verifyKeyBodySchema = z
  .object({
    key: z.string().meta({ description: 'The API key to check' }),
    scopes: scopesSchema.optional().meta({ description: 'Scopes the key must grant' }),
  })
  .strict();

export type CreateKeyBody = z.infer<typeof createKeyBodySchema>;
export type UpdateKeyBody = z.infer<typeof updateKeyBodySchema>;
export type VerifyKeyBody = z.infer<typeof verifyKeyBodySchema>;
