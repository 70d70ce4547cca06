import { z } from 'zod';
import { dateSchema, idSchema, safeString } from './types';

/** Longest key material accepted (an encrypted RSA-4096 private JWK fits several times over). */
const KEY_MATERIAL = 32_768;

/** Better-Auth's `jwks` (jwt plugin): a signing key pair, the private half encrypted by Better-Auth. */
export const JwksSchema = z.object({
  id: z.string(),
  publicKey: z.string(),
  privateKey: z.string(),
  createdAt: dateSchema,
  expiresAt: dateSchema.nullable(),
  alg: z.string().nullable(),
  crv: z.string().nullable(),
});
export type Jwks = z.infer<typeof JwksSchema>;

export const JwksCreateInputSchema = z
  .object({
    id: idSchema.optional(),
    publicKey: safeString(KEY_MATERIAL).min(1),
    privateKey: safeString(KEY_MATERIAL).min(1),
    createdAt: dateSchema.optional(),
    expiresAt: dateSchema.nullish(),
    alg: safeString(32).nullish(),
    crv: safeString(32).nullish(),
  })
  .strict();
export type JwksCreateInput = z.input<typeof JwksCreateInputSchema>;

/** Rotation only ever sets an expiry on an existing key. */
export const JwksUpdateInputSchema = JwksCreateInputSchema.omit({ id: true, createdAt: true }).partial().strict();
export type JwksUpdateInput = z.input<typeof JwksUpdateInputSchema>;

const JwksListSchema = z.array(JwksSchema);

/** Parses a key list read back from a JSON cache (ISO strings become Dates again). */
export function reviveJwksList(value: unknown): Jwks[] {
  return JwksListSchema.parse(value);
}
