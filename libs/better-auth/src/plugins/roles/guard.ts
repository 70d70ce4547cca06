import type { AccessCore } from '../../access/AccessCore';
import { AuthorityRefusedError, type AuthorityDecision } from '../../access/authorityCheck';
import type { Principal } from '../../access/Principal';
import { permissionRefusal, refusalApiError } from '../../access/refusals';
import type { IRoleRepository, IUserEventRepository, IUserRepository } from '@libs/database/postgress/repositories';
import type { SessionGuards } from '../shared/sessionGuard';

/** What the roles plugin's endpoints (roles and their assignment) work with. */
export interface RolesEndpointDependencies {
  roles: IRoleRepository;
  users: IUserRepository;
  events: IUserEventRepository;
  permissions: RoleAdminPermissions;
  access: AccessCore;
  /** Session, then the caller's rate budget. */
  guards: SessionGuards;
}

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
  if (!decision.granted) throw refusalApiError(permissionRefusal(decision));
}

/**
 * Throws 403 with the authority rule's code (ROLE_ESCALATION naming what is missing,
 * TARGET_OUTRANKS_ACTOR, LAST_ADMIN, SYSTEM_ROLE) unless the access core allowed the change.
 */
export async function assertAuthority(decision: Promise<AuthorityDecision>): Promise<void> {
  const outcome = await decision;
  if (!outcome.ok) throw refusedAsApiError(outcome.refusal);
}

const refusedAsApiError = (refusal: { code: string; message: string; missing?: string[] }) => refusalApiError({ status: 403, ...refusal });

/**
 * The same 403 for a refusal found while writing (`AccessCore.writeKeepingAnAdmin`: LAST_ADMIN
 * re-checked inside the admin-change lock); any other error unchanged.
 */
export function authorityApiError(error: unknown): unknown {
  return error instanceof AuthorityRefusedError ? refusedAsApiError(error.refusal) : error;
}
