import { z } from 'zod';
import { flattenPermissionMap, permissionEntrySchema, permissionMapSchema } from '@libs/database/models';

const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().max(max).refine(noNul, 'NUL bytes are not allowed');
const id = text(64).min(1);

/** `resource:action`, e.g. `users:read`, `orders:*`. */
export const permissionSchema = text(128).regex(/^[a-z0-9_.*-]+:[a-z0-9_.*-]+$/i, 'must look like resource:action');
/** The permission map (`{ orders: ['read', 'write'] }`), at most 256 permissions once flattened (`permissionStrings` turns it into strings). */
const permissionMapInput = permissionMapSchema.refine((map) => flattenPermissionMap(map).length <= 256, 'at most 256 permissions');
/** `resource:action` strings, or the permission map. */
const permissionsSchema = z.union([z.array(permissionSchema).max(256), permissionMapInput]);
/** Plain `resource:action` strings, or `{ permission, conditions }` (own, sameStore, timeWindow; anything else is refused), or the permission map. */
const permissionEntriesSchema = z.union([z.array(permissionEntrySchema).max(256), permissionMapInput]);
const nonEmpty = (list: unknown[] | Record<string, unknown>) => (Array.isArray(list) ? list.length : Object.keys(list).length) > 0;
const isoDate = z.coerce.date();

export const createRoleBodySchema = z
  .object({
    name: text(255).min(1).meta({ description: 'Unique role name' }),
    displayName: text(255).optional(),
    description: text(2_000).optional(),
    category: text(255).optional().meta({ description: 'Free grouping, e.g. staff, customer' }),
    level: z.number().int().min(0).max(1_000).optional().meta({ description: 'Rank used for ordering (0 = lowest)' }),
    parentRoleId: id.nullish().meta({ description: 'Inherits every permission of this role and its ancestors' }),
    expiresAt: isoDate.nullish(),
    permissions: permissionEntriesSchema.optional(),
  })
  .strict();

export const updateRoleBodySchema = z
  .object({
    roleId: id,
    name: text(255).min(1).optional(),
    displayName: text(255).nullish(),
    description: text(2_000).nullish(),
    category: text(255).nullish(),
    level: z.number().int().min(0).max(1_000).optional(),
    parentRoleId: id.nullish(),
    isActive: z.boolean().optional(),
    expiresAt: isoDate.nullish(),
  })
  .strict();

export const roleIdBodySchema = z.object({ roleId: id }).strict();
export const roleIdQuerySchema = z.object({ roleId: id });

export const addRolePermissionsBodySchema = z.object({ roleId: id, permissions: permissionEntriesSchema.refine(nonEmpty, 'at least one permission') }).strict();
export const rolePermissionsBodySchema = z.object({ roleId: id, permissions: permissionsSchema.refine(nonEmpty, 'at least one permission') }).strict();

export const assignRoleBodySchema = z
  .object({
    userId: id,
    roleId: id.nullable().meta({ description: 'null removes the role' }),
    expiresAt: isoDate.nullish().meta({ description: 'The assignment grants nothing after this time' }),
    reason: text(500).optional(),
  })
  .strict();

export const hasPermissionBodySchema = z
  .object({
    permission: permissionSchema.optional().meta({ description: 'One permission, `resource:action`' }),
    permissions: permissionsSchema.refine(nonEmpty, 'at least one permission').optional().meta({ description: 'Several (strings or the permission map): granted when all are' }),
    userId: id.optional().meta({ description: 'Another user (needs the read permission); default: yourself' }),
  })
  .strict()
  .refine((body) => (body.permission === undefined) !== (body.permissions === undefined), 'give permission or permissions');
