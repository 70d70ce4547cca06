import { z } from 'zod';
import { dateSchema, idSchema, INPUT_LIMITS, safeString } from './types';

/** `@better-auth/passkey`'s `passkey`: a WebAuthn credential (public key, signature counter) of a user. */
export const PasskeySchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  publicKey: z.string(),
  userId: z.string(),
  credentialID: z.string(),
  counter: z.number().int(),
  deviceType: z.string(),
  backedUp: z.boolean(),
  transports: z.string().nullable(),
  createdAt: dateSchema.nullable(),
  aaguid: z.string().nullable(),
});
export type Passkey = z.infer<typeof PasskeySchema>;

export const PasskeyCreateInputSchema = z
  .object({
    id: idSchema.optional(),
    name: safeString(INPUT_LIMITS.name).nullish(),
    publicKey: safeString(INPUT_LIMITS.text).min(1),
    userId: idSchema,
    credentialID: safeString(1_024).min(1),
    counter: z.number().int().min(0),
    deviceType: safeString(32).min(1),
    backedUp: z.boolean(),
    transports: safeString(INPUT_LIMITS.name).nullish(),
    createdAt: dateSchema.nullish(),
    aaguid: safeString(64).nullish(),
  })
  .strict();
export type PasskeyCreateInput = z.input<typeof PasskeyCreateInputSchema>;

export const PasskeyUpdateInputSchema = PasskeyCreateInputSchema.omit({ id: true, userId: true, createdAt: true }).partial().strict();
export type PasskeyUpdateInput = z.input<typeof PasskeyUpdateInputSchema>;
