import { APIError } from 'better-auth/api';
import { permissionGrants } from '@libs/database/postgress/repositories';
import type { AccessCore } from '../../access/AccessCore';
import type { Principal } from '../../access/Principal';
import { ROLE_ERROR_CODES } from './error-codes';

/** The permissions the roles plugin's own endpoints require. */
export interface RoleAdminPermissions {
  /** Create, update, delete roles and their permissions. @default 'roles:manage' */
  manage: string;
  /** Assign roles to users. @default 'roles:assign' */
  assign: string;
  /** Read roles and other users' permissions. @default 'roles:read' */
  read: string;
}

export const DEFAULT_ROLE_ADMIN_PERMISSIONS: RoleAdminPermissions = { manage: 'roles:manage', assign: 'roles:assign', read: 'roles:read' };

/** Throws 403 (PERMISSION_DENIED, or INSUFFICIENT_SCOPE for a key) unless the access core grants `permission`. */
export async function assertPermission(access: AccessCore, principal: Principal, permission: string): Promise<void> {
  const decision = await access.authorize(principal, permission);
  if (!decision.granted) {
    const error = decision.code === 'INSUFFICIENT_SCOPE' ? { code: 'INSUFFICIENT_SCOPE', message: `The API key is not granted ${permission}` } : ROLE_ERROR_CODES.PERMISSION_DENIED;
    throw new APIError('FORBIDDEN', { ...error, permission });
  }
}

/**
 * Throws 403 ROLE_ESCALATION unless the actor holds every permission in `granting` without
 * conditions: whoever may assign roles or edit them must not hand out (or take) more than they have.
 */
export async function assertCanGrant(access: AccessCore, principal: Principal, granting: readonly string[]): Promise<void> {
  if (granting.length === 0) return;
  const held = await access.unconditionalPermissions(principal);
  const missing = granting.filter((p) => !permissionGrants(held, p));
  if (missing.length > 0) throw new APIError('FORBIDDEN', { ...ROLE_ERROR_CODES.ROLE_ESCALATION, missing });
}
