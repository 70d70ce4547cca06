import { z } from 'zod';
import type { ApiKey } from './ApiKey';
import type { UserEvent } from './event';
import type { Role } from './role';
import type { UserSession } from './session';
import type { Store } from './store';
import { dateSchema, emailSchema, idSchema, INPUT_LIMITS, imageSchema, jsonObjectSchema, safeString, type JsonValue } from './types';

/** Lifecycle of an account. Only ACTIVE users may sign in. */
export const UserStatus = {
  ACTIVE: 'ACTIVE',
  BANNED: 'BANNED',
  INACTIVE: 'INACTIVE',
  DELETED: 'DELETED',
  PENDING: 'PENDING',
} as const;
export type UserStatus = (typeof UserStatus)[keyof typeof UserStatus];
export const userStatusSchema = z.enum(['ACTIVE', 'BANNED', 'INACTIVE', 'DELETED', 'PENDING']);

/** One entry of `User.auditLog`: who changed a role or status, when, from what to what. */
export interface AuditLogEntry {
  action: 'ROLE_CHANGED' | 'STATUS_CHANGED' | 'SOFT_DELETED' | 'RESTORED' | 'BAN_LAPSED';
  /** ISO timestamp. */
  at: string;
  /** Actor id, or `system`. */
  by: string | null;
  /** The API key the actor used, when it acted through one. */
  apiKeyId?: string;
  from?: string | null;
  to?: string | null;
  reason?: string;
}

/** A `User` row (Better-Auth's `user` maps here: id, name, email, emailVerified, image, timestamps). */
export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  name: z.string(),
  username: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string().nullable(),
  image: z.string().nullable(),
  locale: z.string().nullable(),
  timezone: z.string().nullable(),
  status: userStatusSchema,
  banReason: z.string().nullable(),
  bannedAt: dateSchema.nullable(),
  banExpiresAt: dateSchema.nullable(),
  roleId: z.string().nullable(),
  roleAssignedAt: dateSchema.nullable(),
  roleAssignedBy: z.string().nullable(),
  roleExpiresAt: dateSchema.nullable(),
  storeId: z.string().nullable(),
  lastLoginAt: dateSchema.nullable(),
  loginCount: z.number().int(),
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
  deletedAt: dateSchema.nullable(),
  deletedBy: z.string().nullable(),
  isDeleted: z.boolean(),
  metadata: z.json().nullable(),
  auditLog: z.json(),
  /** Better-Auth twoFactor plugin: whether sign-in asks for a second factor (absent in rows cached before the column: false). */
  twoFactorEnabled: z.boolean().nullable().default(false),
  createdAt: dateSchema,
  updatedAt: dateSchema,
});

export interface User extends Omit<z.infer<typeof UserSchema>, 'metadata' | 'auditLog'> {
  metadata: JsonValue | null;
  /** Role and status changes, oldest first (`AuditLogEntry[]`). */
  auditLog: JsonValue;
  sessions?: UserSession[];
  events?: UserEvent[];
  apiKeys?: ApiKey[];
  store?: Store | null;
  role?: Role | null;
}

const nameSchema = safeString(INPUT_LIMITS.name);

export const UserCreateInputSchema = z
  .object({
    id: idSchema.optional(),
    email: emailSchema,
    name: nameSchema.min(1).optional(),
    emailVerified: z.boolean().optional(),
    username: nameSchema.min(3).regex(/^[a-zA-Z0-9_.-]+$/, 'letters, digits, _ . - only').transform((u) => u.toLowerCase()).optional(),
    firstName: nameSchema.optional(),
    lastName: nameSchema.optional(),
    phone: safeString(32).optional(),
    image: imageSchema.nullish(),
    locale: safeString(35).optional(),
    timezone: safeString(64).optional(),
    status: userStatusSchema.optional(),
    roleId: idSchema.nullish(),
    roleExpiresAt: dateSchema.nullish(),
    storeId: idSchema.nullish(),
    metadata: jsonObjectSchema.optional(),
    twoFactorEnabled: z.boolean().nullish(),
    createdBy: idSchema.optional(),
    createdAt: dateSchema.optional(),
    updatedAt: dateSchema.optional(),
  })
  .strict()
  // Better-Auth requires `name`; derive one rather than reject callers that only give first/last names.
  .transform(({ name, ...rest }) => ({
    ...rest,
    name: name ?? ([rest.firstName, rest.lastName].filter(Boolean).join(' ') || rest.email.split('@')[0]),
  }));
export type UserCreateInput = z.input<typeof UserCreateInputSchema>;

export const UserUpdateInputSchema = z
  .object({
    email: emailSchema.optional(),
    name: nameSchema.min(1).optional(),
    emailVerified: z.boolean().optional(),
    username: nameSchema.min(3).regex(/^[a-zA-Z0-9_.-]+$/, 'letters, digits, _ . - only').transform((u) => u.toLowerCase()).nullish(),
    firstName: nameSchema.nullish(),
    lastName: nameSchema.nullish(),
    phone: safeString(32).nullish(),
    image: imageSchema.nullish(),
    locale: safeString(35).nullish(),
    timezone: safeString(64).nullish(),
    status: userStatusSchema.optional(),
    banReason: safeString(INPUT_LIMITS.text).nullish(),
    banExpiresAt: dateSchema.nullish(),
    storeId: idSchema.nullish(),
    metadata: jsonObjectSchema.nullish(),
    twoFactorEnabled: z.boolean().nullish(),
    updatedBy: idSchema.optional(),
    updatedAt: dateSchema.optional(),
  })
  .strict();
export type UserUpdateInput = z.input<typeof UserUpdateInputSchema>;

/** Parses a value read back from a JSON cache (ISO strings become Dates again). */
export function reviveUser(value: unknown): User {
  return UserSchema.parse(value) as User;
}

export const auditLogEntrySchema = z.object({
  action: z.enum(['ROLE_CHANGED', 'STATUS_CHANGED', 'SOFT_DELETED', 'RESTORED', 'BAN_LAPSED']),
  at: z.string(),
  by: z.string().nullable(),
  apiKeyId: z.string().optional(),
  from: z.string().nullish(),
  to: z.string().nullish(),
  reason: z.string().optional(),
});
export const auditLogSchema = z.array(auditLogEntrySchema);
