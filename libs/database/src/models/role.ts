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
    permissions: z.array(permissionStringSchema).max(INPUT_LIMITS.scopes * 4).optional(),
  })
  .strict();
export type RoleCreateInput = z.input<typeof RoleCreateInputSchema>;

export const RoleUpdateInputSchema = RoleCreateInputSchema.omit({ permissions: true, name: true })
  .extend({ name: safeString(INPUT_LIMITS.name).min(1).optional(), isActive: z.boolean().optional() })
  .strict();
export type RoleUpdateInput = z.input<typeof RoleUpdateInputSchema>;
