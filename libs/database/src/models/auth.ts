import { z } from 'zod';
import { dateSchema, idSchema, INPUT_LIMITS, safeString } from './types';

/** Better-Auth's `account`: a credential (password hash) or a linked OAuth provider. */
export const AccountSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  providerId: z.string(),
  userId: z.string(),
  accessToken: z.string().nullable(),
  refreshToken: z.string().nullable(),
  idToken: z.string().nullable(),
  accessTokenExpiresAt: dateSchema.nullable(),
  refreshTokenExpiresAt: dateSchema.nullable(),
  scope: z.string().nullable(),
  password: z.string().nullable(),
  createdAt: dateSchema,
  updatedAt: dateSchema,
});
export type Account = z.infer<typeof AccountSchema>;

const token = safeString(INPUT_LIMITS.token);

export const AccountCreateInputSchema = z
  .object({
    id: idSchema.optional(),
    accountId: safeString(INPUT_LIMITS.name).min(1),
    providerId: safeString(INPUT_LIMITS.name).min(1),
    userId: idSchema,
    accessToken: token.nullish(),
    refreshToken: token.nullish(),
    idToken: token.nullish(),
    accessTokenExpiresAt: dateSchema.nullish(),
    refreshTokenExpiresAt: dateSchema.nullish(),
    scope: safeString(INPUT_LIMITS.text).nullish(),
    /** A password hash (never a password). */
    password: safeString(1_024).nullish(),
    createdAt: dateSchema.optional(),
    updatedAt: dateSchema.optional(),
  })
  .strict();
export type AccountCreateInput = z.input<typeof AccountCreateInputSchema>;

export const AccountUpdateInputSchema = AccountCreateInputSchema.omit({ id: true, userId: true, createdAt: true }).partial().strict();
export type AccountUpdateInput = z.input<typeof AccountUpdateInputSchema>;

/** Better-Auth's `verification`: email verification and password-reset values. */
export const VerificationSchema = z.object({
  id: z.string(),
  identifier: z.string(),
  value: z.string(),
  expiresAt: dateSchema,
  createdAt: dateSchema,
  updatedAt: dateSchema,
});
export type Verification = z.infer<typeof VerificationSchema>;

export const VerificationCreateInputSchema = z
  .object({
    id: idSchema.optional(),
    identifier: safeString(INPUT_LIMITS.text).min(1),
    value: safeString(INPUT_LIMITS.text),
    expiresAt: dateSchema,
    createdAt: dateSchema.optional(),
    updatedAt: dateSchema.optional(),
  })
  .strict();
export type VerificationCreateInput = z.input<typeof VerificationCreateInputSchema>;

export const VerificationUpdateInputSchema = VerificationCreateInputSchema.omit({ id: true, createdAt: true }).partial().strict();
export type VerificationUpdateInput = z.input<typeof VerificationUpdateInputSchema>;
