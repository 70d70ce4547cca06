import type { PermissionGrant, Role } from '@libs/database/models';
import type { IRoleRepository, IUserEventRepository, IUserRepository } from '@libs/database/postgress/repositories';
import { AUTHORITY_ERRORS, ESCALATION_BYPASS_EVENT, holdsEverything, missingGrants, type AuthorityCode } from './authority';
import type { Principal } from './Principal';
import { roleChangeLeavesNoAdmin, userActionLeavesNoAdmin } from './lastAdmin';

/** A refused authority change: 403 with a stable code; `missing` names what the actor lacks (never another user's data). */
export interface AuthorityRefusal {
  status: 403;
  code: AuthorityCode;
  message: string;
  missing?: string[];
}

export type AuthorityDecision = { ok: true } | { ok: false; refusal: AuthorityRefusal };

/** A change to one role, as the endpoint is about to write it. */
export interface RoleChange {
  action: 'role.create' | 'role.update' | 'role.delete' | 'role.addPermissions' | 'role.removePermissions';
  /** The role as it is now; null when it is being created. */
  role: Role | null;
  /** Its new parent (null: to the top); undefined: unchanged. */
  parentRoleId?: string | null;
  /** Permissions it gains (on create: its own). */
  adds?: PermissionGrant[];
  /** Own permissions it loses. */
  removes?: string[];
  /** It is deactivated, given an expiry or deleted: its holders lose it (LAST_ADMIN). */
  disables?: boolean;
}

/** An action on users, as the route is about to write it. */
export interface UserAction {
  action: 'user.create' | 'user.status' | 'user.delete' | 'user.restore' | 'user.sessions' | 'user.role';
  /** The users acted on (none when one is being created). */
  userIds: readonly string[];
  /** They stop being able to act (ban, deactivate, delete): LAST_ADMIN. */
  disables?: boolean;
  /** The role they get (null: none) and the assignment's expiry. */
  assigns?: { roleId: string | null; expiresAt?: Date | null };
}

export interface AuthorityDependencies {
  roles: Pick<IRoleRepository, 'findMany' | 'getAuthorityGrants' | 'getEffectiveGrants'>;
  users: Pick<IUserRepository, 'findMany' | 'count'>;
  events: Pick<IUserEventRepository, 'append'>;
}

interface RuleDependencies extends AuthorityDependencies {
  /** The actor's effective grants (a key caller's: its grant ∩ its owner's). */
  actorGrants(principal: Principal): Promise<PermissionGrant[]>;
  /** Whether the actor holds `roles:escalate`. */
  mayEscalate(principal: Principal): Promise<boolean>;
  now(): number;
}

const refusalOf = (code: AuthorityCode, message: string = AUTHORITY_ERRORS[code].message, missing?: string[]): AuthorityRefusal => ({ status: 403, code, message, ...(missing ? { missing } : {}) });
const refuse = (code: AuthorityCode, message?: string, missing?: string[]): AuthorityDecision => ({ ok: false, refusal: refusalOf(code, message, missing) });

/**
 * A refusal found while writing (LAST_ADMIN re-checked inside the admin-change lock): nothing was
 * written. Its `statusCode` and `code` make the app's error handler answer 403 `{ error: { code, message } }`.
 */
export class AuthorityRefusedError extends Error {
  readonly statusCode = 403;
  readonly code: AuthorityCode;
  readonly refusal: AuthorityRefusal;

  constructor(code: AuthorityCode) {
    const refusal = refusalOf(code);
    super(refusal.message);
    this.name = 'AuthorityRefusedError';
    this.code = code;
    this.refusal = refusal;
  }
}

const ALLOWED: AuthorityDecision = { ok: true };

/**
 * The authority rule (see docs/authority.md): an actor changes a role, or acts on a user, only
 * when its effective grants contain the role's authority (before and after the change) or the
 * user's; system roles change only for `*:*`; the last active system administrator stays.
 * `roles:escalate` bypasses containment only, and each use is audited.
 */
export class AuthorityRule {
  readonly #deps: RuleDependencies;

  constructor(deps: RuleDependencies) {
    this.#deps = deps;
  }

  async checkRoleChange(principal: Principal, change: RoleChange): Promise<AuthorityDecision> {
    const { roles } = this.#deps;
    const held = await this.#deps.actorGrants(principal);
    const { role } = change;
    if (role?.isSystem && !holdsEverything(held)) return refuse('SYSTEM_ROLE');
    const before = role ? await roles.getAuthorityGrants(role.id) : [];
    const reparented = change.parentRoleId !== undefined;
    const base = role ? (reparented ? await roles.getAuthorityGrants(role.id, { parentRoleId: change.parentRoleId }) : before) : change.parentRoleId ? await roles.getAuthorityGrants(change.parentRoleId) : [];
    const after = [...base, ...(change.adds ?? [])];
    const missing = missingGrants(held, before, after);
    if (missing.length > 0 && !(await this.#deps.mayEscalate(principal))) return refuse('ROLE_ESCALATION', `${AUTHORITY_ERRORS.ROLE_ESCALATION.message}: ${missing.join(', ')}`, missing);
    if (await roleChangeLeavesNoAdmin(this.#deps, change, this.#deps.now(), after)) return refuse('LAST_ADMIN');
    if (missing.length > 0) await this.#audit(principal, change.action, 'ROLE_ESCALATION', missing, { roleId: role?.id ?? null });
    return ALLOWED;
  }

  async checkUserAction(principal: Principal, action: UserAction): Promise<AuthorityDecision> {
    const { roles, users } = this.#deps;
    const held = await this.#deps.actorGrants(principal);
    const targets = action.userIds.length > 0 ? await users.findMany({ where: { id: { in: [...action.userIds] } }, includeDeleted: true }) : [];
    const targetRoles = [...new Set(targets.map((t) => t.roleId).filter((id): id is string => !!id))];
    const outranking = missingGrants(held, ...(await Promise.all(targetRoles.map((id) => roles.getAuthorityGrants(id)))));
    const givenId = action.assigns?.roleId;
    const escalating = givenId ? missingGrants(held, await roles.getAuthorityGrants(givenId)) : [];
    const mayEscalate = outranking.length + escalating.length > 0 && (await this.#deps.mayEscalate(principal));
    if (outranking.length > 0 && !mayEscalate) return refuse('TARGET_OUTRANKS_ACTOR');
    if (escalating.length > 0 && !mayEscalate) return refuse('ROLE_ESCALATION', `${AUTHORITY_ERRORS.ROLE_ESCALATION.message}: ${escalating.join(', ')}`, escalating);
    if (await userActionLeavesNoAdmin(this.#deps, action, this.#deps.now(), targets)) return refuse('LAST_ADMIN');
    if (outranking.length > 0) await this.#audit(principal, action.action, 'TARGET_OUTRANKS_ACTOR', outranking, { targetUserIds: [...action.userIds] });
    if (escalating.length > 0) await this.#audit(principal, action.action, 'ROLE_ESCALATION', escalating, { roleId: givenId ?? null, targetUserIds: [...action.userIds] });
    return ALLOWED;
  }

  async #audit(principal: Principal, action: string, bypassed: AuthorityCode, missing: string[], subject: { roleId?: string | null; targetUserIds?: string[] }): Promise<void> {
    // Awaited and not swallowed: a bypass that cannot be recorded does not happen.
    await this.#deps.events.append({
      userId: principal.user.id,
      eventType: ESCALATION_BYPASS_EVENT,
      metadata: { action, bypassed, missing, ...subject, ...(principal.actor.apiKeyId ? { apiKeyId: principal.actor.apiKeyId } : {}) },
    });
  }
}
