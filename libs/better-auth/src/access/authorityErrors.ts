// No imports: the roles plugin's browser client (the admin console bundle) reads these codes.

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
