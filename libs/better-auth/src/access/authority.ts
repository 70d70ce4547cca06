import type { PermissionConditions, PermissionGrant } from '@libs/database/models';
import { permissionGrants } from './permissions';

export { ALL_PERMISSIONS, AUTHORITY_ERRORS, ESCALATE_PERMISSION, ESCALATION_BYPASS_EVENT, type AuthorityCode } from './authorityErrors';
import { ALL_PERMISSIONS, ESCALATE_PERMISSION } from './authorityErrors';

const sameWindow = (a: NonNullable<PermissionConditions['timeWindow']>, b: PermissionConditions['timeWindow']): boolean =>
  !!b && a.start === b.start && a.end === b.end && [...(a.days ?? [])].sort().join() === [...(b.days ?? [])].sort().join();

/**
 * Whether a held grant's conditions cover a wanted grant's: an unconditional grant covers
 * anything; a conditional one covers only a grant that imposes every one of its conditions too
 * (`own` by `own`, `sameStore` by `sameStore`, a time window by the identical window) — the wanted
 * grant may add more. A conditional grant never covers an unconditional one.
 */
export function conditionsCover(held: PermissionConditions | null, wanted: PermissionConditions | null): boolean {
  if (held === null) return true;
  if (wanted === null) return false;
  if (held.own && !wanted.own) return false;
  if (held.sameStore && !wanted.sameStore) return false;
  return !held.timeWindow || sameWindow(held.timeWindow, wanted.timeWindow);
}

/** Whether `held` contains `wanted`: one held grant matches its permission (wildcards by `permissionGrants`) and covers its conditions. */
export function covers(held: readonly PermissionGrant[], wanted: PermissionGrant): boolean {
  return held.some((grant) => permissionGrants([grant.permission], wanted.permission) && conditionsCover(grant.conditions, wanted.conditions));
}

/** A grant as refusals and audit entries name it: `users:read`, or `users:read (own, sameStore, 09:00-17:00)`. */
export function describeGrant(grant: PermissionGrant): string {
  const c = grant.conditions;
  if (!c) return grant.permission;
  const parts = [c.own ? 'own' : '', c.sameStore ? 'sameStore' : '', c.timeWindow ? `${c.timeWindow.start}-${c.timeWindow.end}${c.timeWindow.days ? ` days ${c.timeWindow.days.join(',')}` : ''}` : ''];
  return `${grant.permission} (${parts.filter(Boolean).join(', ')})`;
}

/** The wanted grants `held` does not contain, named (deduplicated, sorted). */
export function missingGrants(held: readonly PermissionGrant[], ...wanted: ReadonlyArray<readonly PermissionGrant[]>): string[] {
  return [...new Set(wanted.flat().filter((g) => !covers(held, g)).map(describeGrant))].sort();
}

/**
 * Whether the grants hold the escalation bypass: `roles:escalate` or `*:*` granted by name and
 * without conditions. A wildcard such as `roles:*` does not confer it (Kubernetes keeps `escalate`
 * and `bind` out of reach of a plain `*` on roles for the same reason): a role manager must never
 * be one wildcard away from the bypass.
 */
export function holdsEscalate(held: readonly PermissionGrant[], keyGrant?: readonly string[]): boolean {
  const named = (permission: string) => permission === ESCALATE_PERMISSION || permission === ALL_PERMISSIONS;
  if (!held.some((grant) => grant.conditions === null && named(grant.permission))) return false;
  return !keyGrant || keyGrant.some((scope) => named(scope) || scope === '*');
}

/** Holds every permission without conditions (`*:*`): may change system roles. */
export function holdsEverything(held: readonly PermissionGrant[]): boolean {
  return covers(held, { permission: ALL_PERMISSIONS, conditions: null });
}

/** A system admin role: a system role whose grants include `*:*` unconditionally. */
export function isAdminRole(role: { isSystem: boolean }, grants: readonly PermissionGrant[]): boolean {
  return role.isSystem && grants.some((g) => g.permission === ALL_PERMISSIONS && g.conditions === null);
}

/** Written permission entries (strings or `{ permission, conditions }`) as grants. */
export function entriesAsGrants(entries: ReadonlyArray<string | { permission: string; conditions?: PermissionConditions | null }>): PermissionGrant[] {
  return entries.map((e) => (typeof e === 'string' ? { permission: e, conditions: null } : { permission: e.permission, conditions: e.conditions ?? null }));
}

/**
 * LAST_ADMIN: a change that takes away active system administrators (`before` of them now,
 * `after` once it is done) may not take away the last one. No admin to begin with: nothing to keep.
 */
export function leavesNoAdmin(before: number, after: number): boolean {
  return before > 0 && after === 0;
}
