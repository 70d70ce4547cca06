import { AUTHORITY_ERRORS } from '../../access/authorityErrors';

/** Stable codes of the roles plugin (`body.code` of its errors), with their messages. */
export const ROLE_ERROR_CODES = {
  ROLE_NOT_FOUND: { code: 'ROLE_NOT_FOUND', message: 'Role not found' },
  ROLE_NAME_TAKEN: { code: 'ROLE_NAME_TAKEN', message: 'A role with this name exists' },
  ROLE_CYCLE: { code: 'ROLE_CYCLE', message: 'The parent would make the role its own ancestor' },
  ROLE_IN_USE: { code: 'ROLE_IN_USE', message: 'Users still hold this role' },
  SYSTEM_ROLE: { code: 'SYSTEM_ROLE', message: 'System roles cannot be deleted' },
  TARGET_OUTRANKS_ACTOR: AUTHORITY_ERRORS.TARGET_OUTRANKS_ACTOR,
  LAST_ADMIN: AUTHORITY_ERRORS.LAST_ADMIN,
  PERMISSION_DENIED: { code: 'PERMISSION_DENIED', message: 'Missing permission' },
  ROLE_ESCALATION: AUTHORITY_ERRORS.ROLE_ESCALATION,
  USER_NOT_FOUND: { code: 'USER_NOT_FOUND', message: 'User not found' },
  INVALID_ROLE_INPUT: { code: 'INVALID_ROLE_INPUT', message: 'Invalid role input' },
} as const;

export type RoleErrorCode = keyof typeof ROLE_ERROR_CODES;
