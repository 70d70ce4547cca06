import { z } from 'zod';
import { dateSchema, idSchema, INPUT_LIMITS, safeString } from './types';

/** Better-Auth's `twoFactor` (twoFactor plugin): a user's TOTP secret and backup codes, encrypted by Better-Auth. */
export const TwoFactorSchema = z.object({
  id: z.string(),
  secret: z.string(),
  backupCodes: z.string(),
  userId: z.string(),
  verified: z.boolean().nullable(),
  failedVerificationCount: z.number().int().nullable(),
  lockedUntil: dateSchema.nullable(),
});
export type TwoFactor = z.infer<typeof TwoFactorSchema>;

export const TwoFactorCreateInputSchema = z
  .object({
    id: idSchema.optional(),
    secret: safeString(INPUT_LIMITS.text).min(1),
    backupCodes: safeString(INPUT_LIMITS.text),
    userId: idSchema,
    verified: z.boolean().nullish().default(true),
    failedVerificationCount: z.number().int().min(0).nullish().default(0),
    lockedUntil: dateSchema.nullish(),
  })
  .strict();
export type TwoFactorCreateInput = z.input<typeof TwoFactorCreateInputSchema>;

export const TwoFactorUpdateInputSchema = z
  .object({
    secret: safeString(INPUT_LIMITS.text).min(1).optional(),
    backupCodes: safeString(INPUT_LIMITS.text).optional(),
    verified: z.boolean().nullish(),
    failedVerificationCount: z.number().int().min(0).nullish(),
    lockedUntil: dateSchema.nullish(),
  })
  .strict();
export type TwoFactorUpdateInput = z.input<typeof TwoFactorUpdateInputSchema>;

/** Parses a value read back from a JSON cache (ISO strings become Dates again). */
export function reviveTwoFactor(value: unknown): TwoFactor {
  return TwoFactorSchema.parse(value);
}
