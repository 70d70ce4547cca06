import type { PermissionConditions, PermissionGrant } from '@libs/database/models';
import { permissionGrants } from '@libs/database/postgress/repositories';

/** The one permission that bypasses containment (never SYSTEM_ROLE nor LAST_ADMIN); every use is audited. */
export const ESCALATE_PERMISSION = 'roles:escalate';
/** Everything: what a system admin role holds, and what changing a system role needs. */
export const ALL_PERMISSIONS = '*:*';
/** `eventType` of the audit entry written when `roles:escalate` let a change through. */
export const ESCALATION_BYPASS_EVENT = 'AUTHORITY_ESCALATE_BYPASS';

/** Stable codes of refused authority changes (HTTP 403), with their messages. */
export const AUTHORITY_ERRORS = {
  ROLE_ESCALATION: { code: 'ROLE_ESCALATION', message: 'You cannot grant permissions you do not hold' },
  TARGET_OUTRANKS_ACTOR: { code: 'TARGET_OUTRANKS_ACTOR', message: 'The target user holds permissions you do not hold' },
  LAST_ADMIN: { code: 'LAST_ADMIN', message: 'This would leave no active system administrator' },
  SYSTEM_ROLE: { code: 'SYSTEM_ROLE', message: `System roles change only for holders of ${ALL_PERMISSIONS}` },
} as const;

export type AuthorityCode = keyof typeof AUTHORITY_ERRORS;

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
