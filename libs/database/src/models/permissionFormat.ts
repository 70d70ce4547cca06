import { z } from 'zod';
import { INPUT_LIMITS, safeString } from './types';

/**
 * One permission format: `resource:action` strings (`orders:read`, `orders:*`, `*:*`). The map
 * Better-Auth's plugins write — resource → actions, `{ "orders": ["read", "write"] }` — is accepted
 * on input and turned into strings by `flattenPermissionMap`; nothing else converts it.
 */
const permissionPart = safeString(INPUT_LIMITS.scope).regex(/^[a-z0-9_.*-]+$/i, 'letters, digits, _ . - * only');

/** resource → actions, e.g. `{ "users": ["read"], "reports": ["*"] }`. */
export const permissionMapSchema = z.record(permissionPart, z.array(permissionPart).min(1).max(INPUT_LIMITS.scopes)).refine((p) => Object.keys(p).length <= INPUT_LIMITS.scopes, {
  message: `at most ${INPUT_LIMITS.scopes} resources`,
});
export type PermissionMap = z.infer<typeof permissionMapSchema>;

/** `{ orders: ['read', 'write'] }` → `['orders:read', 'orders:write']` (the one conversion). */
export function flattenPermissionMap(map: Readonly<Record<string, readonly string[]>>): string[] {
  return Object.entries(map).flatMap(([resource, actions]) => actions.map((action) => `${resource}:${action}`));
}

type PermissionMapInput = Readonly<Record<string, readonly string[]>>;

/** A permission list as given on input — strings (or a role's `{ permission, conditions }` entries), or the map — with the map as strings. */
export function permissionStrings(input: readonly string[] | PermissionMapInput): string[];
export function permissionStrings<T>(input: readonly T[] | PermissionMapInput): (T | string)[];
export function permissionStrings<T>(input: readonly T[] | PermissionMapInput): (T | string)[] {
  return Array.isArray(input) ? [...(input as readonly T[])] : flattenPermissionMap(input as PermissionMapInput);
}

/** Whether a value is the map form (an object, not an array). */
export function isPermissionMap(value: unknown): value is Record<string, string[]> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
