import { APIError } from 'better-auth/api';
import { ROLE_ERROR_CODES } from './error-codes';
import { permissionGrants } from '@libs/database/postgress/repositories';
import { userHasPermission, userPermissions, type PermissionSources } from './userPermissions';

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

/** Throws 403 PERMISSION_DENIED unless the user's effective permissions grant `permission`. */
export async function assertPermission(sources: PermissionSources, userId: string, permission: string): Promise<void> {
  if (!(await userHasPermission(sources, userId, permission))) {
    throw new APIError('FORBIDDEN', { ...ROLE_ERROR_CODES.PERMISSION_DENIED, permission });
  }
}

/**
 * Throws 403 ROLE_ESCALATION unless the actor holds every permission in `granting`: whoever may
 * assign roles or edit them must not be able to hand out (or take) more than they have.
 */
export async function assertCanGrant(sources: PermissionSources, actorId: string, granting: readonly string[]): Promise<void> {
  if (granting.length === 0) return;
  const held = await userPermissions(sources, actorId);
  const missing = granting.filter((p) => !permissionGrants(held, p));
  if (missing.length > 0) throw new APIError('FORBIDDEN', { ...ROLE_ERROR_CODES.ROLE_ESCALATION, missing });
}
