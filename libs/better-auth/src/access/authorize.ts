import type { PermissionGrant } from '@libs/database/models';
import { permissionGrants } from './permissions';
import { conditionsHold, type ResourceContext } from './conditions';
import type { Principal } from './Principal';

export type Decision =
  | { granted: true }
  /** PERMISSION_DENIED: the user does not hold it; INSUFFICIENT_SCOPE: the user does, the key was not granted it. */
  | { granted: false; code: 'PERMISSION_DENIED' | 'INSUFFICIENT_SCOPE'; permission: string };

const GRANTED: Decision = { granted: true };

const grantApplies = (grant: PermissionGrant, principal: Principal, resource: ResourceContext | undefined, now: number) =>
  grant.conditions === null || conditionsHold(grant.conditions, { userId: principal.user.id, storeId: principal.storeId }, resource, now);

/**
 * The permission decision: the user's grants (through their role, conditions evaluated against
 * the resource and the time), and for a key caller also the key's grant — a key never exceeds
 * what it was granted, nor what its owner holds now.
 */
export function decide(grants: readonly PermissionGrant[], principal: Principal, permission: string, resource: ResourceContext | undefined, now: number): Decision {
  const held = grants.some((g) => permissionGrants([g.permission], permission) && grantApplies(g, principal, resource, now));
  if (!held) return { granted: false, code: 'PERMISSION_DENIED', permission };
  if (principal.apiKey && !permissionGrants(principal.apiKey.grant, permission)) return { granted: false, code: 'INSUFFICIENT_SCOPE', permission };
  return GRANTED;
}

/**
 * The principal's effective grants: the user's, narrowed to what a key was granted (a user's
 * `users:*` seen through a key granted `users:read` is `users:read`).
 */
export function effectiveGrants(grants: readonly PermissionGrant[], principal: Principal): PermissionGrant[] {
  const key = principal.apiKey;
  if (!key) return [...grants];
  const out = new Map<string, PermissionGrant>();
  for (const grant of grants) {
    if (permissionGrants(key.grant, grant.permission)) out.set(grant.permission, grant);
    else for (const wanted of key.grant) if (permissionGrants([grant.permission], wanted) && !out.has(wanted)) out.set(wanted, { permission: wanted, conditions: grant.conditions });
  }
  return [...out.values()].sort((a, b) => a.permission.localeCompare(b.permission));
}
