import { z } from 'zod';
import type { User } from './user';
import { dateSchema, idSchema, INPUT_LIMITS, jsonObjectSchema, safeString, type JsonValue } from './types';

/** A `Role` row: roles form a tree through `parentRoleId`; children inherit their ancestors' permissions. */
export const RoleSchema = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string().nullable(),
  description: z.string().nullable(),
  category: z.string().nullable(),
  level: z.number().int(),
  parentRoleId: z.string().nullable(),
  isActive: z.boolean(),
  isSystem: z.boolean(),
  /** Bumped on every change of the role or its permissions (cache keys include it). */
  version: z.number().int(),
  expiresAt: dateSchema.nullable(),
  metadata: z.json().nullable(),
  createdAt: dateSchema,
  updatedAt: dateSchema,
});

export interface Role extends Omit<z.infer<typeof RoleSchema>, 'metadata'> {
  metadata: JsonValue | null;
  parentRole?: Role | null;
  childRoles?: Role[];
  permissions?: RolePermission[];
  users?: User[];
}

/** A `RolePermission` row: `permission` is `resource:action` (e.g. `users:read`). */
export const RolePermissionSchema = z.object({
  id: z.string(),
  roleId: z.string(),
  permission: z.string(),
  resource: z.string(),
  action: z.string(),
  conditions: z.json().nullable(),
  expiresAt: dateSchema.nullable(),
  createdAt: dateSchema,
});

export interface RolePermission extends Omit<z.infer<typeof RolePermissionSchema>, 'conditions'> {
  conditions: JsonValue | null;
  role?: Role;
}

/** `resource:action`, e.g. `users:read` or `orders:*`. */
export const permissionStringSchema = safeString(INPUT_LIMITS.scope).regex(/^[a-z0-9_.*-]+:[a-z0-9_.*-]+$/i, 'must look like resource:action');

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour, UTC');

/**
 * The conditions a `RolePermission` may carry, all evaluated when a permission is checked (a
 * permission with conditions grants only when every one of them holds):
 * - `own`: the resource belongs to the caller (its owner id is the caller's user id);
 * - `sameStore`: the resource is in the caller's store (a key's store, else the user's);
 * - `timeWindow`: the check happens between `start` and `end` (UTC, `end` exclusive; a window
 *   past midnight such as 22:00–06:00 wraps), on `days` (0 = Sunday) when given.
 * Anything else is refused when written (`strict`): nothing stored is silently ignored.
 */
export const permissionConditionsSchema = z
  .object({
    own: z.literal(true).optional(),
    sameStore: z.literal(true).optional(),
    timeWindow: z
      .object({ start: clockTime, end: clockTime, days: z.array(z.number().int().min(0).max(6)).min(1).max(7).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, { message: 'at least one condition (own, sameStore, timeWindow)' });
export type PermissionConditions = z.infer<typeof permissionConditionsSchema>;

/** A permission as written to a role: a plain `resource:action`, or one with conditions. */
export const permissionEntrySchema = z.union([permissionStringSchema, z.object({ permission: permissionStringSchema, conditions: permissionConditionsSchema.nullish() }).strict()]);
export type PermissionEntry = z.input<typeof permissionEntrySchema>;

/** A permission a user or role holds, with the conditions it is held under (`null`: always). */
export interface PermissionGrant {
  permission: string;
  conditions: PermissionConditions | null;
}

/** Parses stored conditions; a row written around the repository with unknown ones grants nothing. */
export function storedConditions(value: unknown): PermissionConditions | null | 'invalid' {
  if (value === null || value === undefined) return null;
  const parsed = permissionConditionsSchema.safeParse(value);
  return parsed.success ? parsed.data : 'invalid';
}

export const RoleCreateInputSchema = z
  .object({
    name: safeString(INPUT_LIMITS.name).min(1),
    displayName: safeString(INPUT_LIMITS.name).nullish(),
    description: safeString(INPUT_LIMITS.text).nullish(),
    category: safeString(INPUT_LIMITS.name).nullish(),
    level: z.number().int().min(0).max(1_000).optional(),
    parentRoleId: idSchema.nullish(),
    isSystem: z.boolean().optional(),
    expiresAt: dateSchema.nullish(),
    metadata: jsonObjectSchema.nullish(),
    permissions: z.array(permissionEntrySchema).max(INPUT_LIMITS.scopes * 4).optional(),
  })
  .strict();
export type RoleCreateInput = z.input<typeof RoleCreateInputSchema>;

export const RoleUpdateInputSchema = RoleCreateInputSchema.omit({ permissions: true, name: true })
  .extend({ name: safeString(INPUT_LIMITS.name).min(1).optional(), isActive: z.boolean().optional() })
  .strict();
export type RoleUpdateInput = z.input<typeof RoleUpdateInputSchema>;
