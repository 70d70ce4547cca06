import type { JsonValue, Role, User } from '@libs/database/models';
import { isRepositoryError, type IRoleRepository, type IUserEventRepository, type IUserRepository } from '@libs/database/postgress/repositories';
import { isAdminRole } from '@libs/better-auth';
import { countLiveAdmins, isLiveAdmin, liveAdminRoleIds } from '@libs/better-auth';

/** The system role the bootstrap creates: every permission, not deletable through the API. */
export const SYSTEM_ADMIN_ROLE = { name: 'system-admin', displayName: 'System administrator', permissions: ['*:*'] } as const;

/** Recorded as the actor of what the bootstrap does. */
export const BOOTSTRAP_ACTOR = 'bootstrap';

/**
 * Who provisioned an account, kept in `User.metadata.provisionedBy`. Only the bootstrap and the
 * `create-admin` command write it (metadata is not a Better-Auth input field), so an account
 * carrying it was made by the operator, not by whoever signed up first with the address.
 */
export const PROVISIONED_BY_KEY = 'provisionedBy';
export type BootstrapSource = 'bootstrap' | 'create-admin';

export interface BootstrapAdminDependencies {
  users: Pick<IUserRepository, 'findByEmail' | 'updateRole' | 'update' | 'count'>;
  roles: Pick<IRoleRepository, 'findByName' | 'create' | 'findMany' | 'getEffectiveGrants' | 'update' | 'addPermissions' | 'removePermissions'>;
  events: Pick<IUserEventRepository, 'append'>;
  /** Creates a user with a password the way sign-up does; answers the user it made (or a synthetic one for a taken email). */
  signUp: (input: { email: string; password: string; name: string }) => Promise<{ user?: { id?: string } } | unknown>;
  now?: () => number;
}

export interface BootstrapAdminInput {
  email: string;
  /** Creates the user when there is none with this email. */
  password?: string;
  /** @default 'Administrator' */
  name?: string;
  /**
   * `bootstrap` (BOOTSTRAP_ADMIN_EMAIL at start-up) changes nothing once an active system admin
   * exists; `create-admin` (an operator with the database's credentials) may add one more.
   * @default 'bootstrap'
   */
  source?: BootstrapSource;
}

/** Why the bootstrap changed nothing. */
export type BootstrapRefusal = 'admin-exists' | 'no-user' | 'unverified-account';

export type BootstrapAdminResult =
  | { status: 'assigned' | 'already-admin'; user: User; role: Role; created: boolean }
  | { status: BootstrapRefusal; role: Role; user?: User };

async function systemRole(roles: BootstrapAdminDependencies['roles']): Promise<Role> {
  const existing = await roles.findByName(SYSTEM_ADMIN_ROLE.name);
  if (existing) return existing;
  try {
    return await roles.create({ name: SYSTEM_ADMIN_ROLE.name, displayName: SYSTEM_ADMIN_ROLE.displayName, isSystem: true, level: 1_000, permissions: [...SYSTEM_ADMIN_ROLE.permissions] });
  } catch (error) {
    // Another instance created it first.
    if (isRepositoryError(error, 'UNIQUE_VIOLATION')) {
      const created = await roles.findByName(SYSTEM_ADMIN_ROLE.name);
      if (created) return created;
    }
    throw error;
  }
}

/**
 * The `system-admin` role made live again — active, no expiry, `*:*` of its own — when it is not
 * (deactivated, expired, stripped around the API): promoting somebody to a dead role would answer
 * `assigned` and grant nothing. Runs only once the bootstrap has decided to assign it.
 */
async function reviveSystemRole(deps: BootstrapAdminDependencies, role: Role, userId: string, source: BootstrapSource): Promise<Role> {
  const fields: string[] = [];
  let revived = role;
  if (!role.isActive || role.expiresAt) {
    revived = await deps.roles.update(role.id, { isActive: true, expiresAt: null });
    fields.push('isActive', 'expiresAt');
  }
  if (!isAdminRole(revived, await deps.roles.getEffectiveGrants(revived.id))) {
    // An expired or conditional `*:*` row would be kept by an add (one row per permission): replaced.
    await deps.roles.removePermissions(revived.id, [...SYSTEM_ADMIN_ROLE.permissions]);
    revived = await deps.roles.addPermissions(revived.id, [...SYSTEM_ADMIN_ROLE.permissions]);
    fields.push('permissions');
  }
  await deps.events.append({ userId, eventType: 'ROLE_UPDATED', metadata: { roleId: role.id, roleName: role.name, version: revived.version, by: source, reason: 'bootstrap', fields } });
  return revived;
}

const provisionedBy = (user: User): unknown => (user.metadata && typeof user.metadata === 'object' && !Array.isArray(user.metadata) ? (user.metadata as Record<string, JsonValue>)[PROVISIONED_BY_KEY] : undefined);

/** An account the bootstrap may promote: its owner proved the address, or the operator made it. */
export function isTrustedAccount(user: User): boolean {
  const by = provisionedBy(user);
  return user.emailVerified || by === 'bootstrap' || by === 'create-admin';
}

async function createUser(deps: BootstrapAdminDependencies, email: string, password: string, input: BootstrapAdminInput, source: BootstrapSource): Promise<User | null> {
  const answer = (await deps.signUp({ email, password, name: input.name ?? 'Administrator' })) as { user?: { id?: string } } | undefined;
  const user = await deps.users.findByEmail(email);
  // A taken address answers a synthetic user with another id: somebody signed up in between.
  if (!user || answer?.user?.id !== user.id) return user;
  const marked = await deps.users.update(user.id, { metadata: { ...((user.metadata as Record<string, JsonValue> | null) ?? {}), [PROVISIONED_BY_KEY]: source }, updatedBy: BOOTSTRAP_ACTOR });
  await deps.events.append({ userId: user.id, eventType: 'USER_CREATED', metadata: { by: source, reason: 'bootstrap' } });
  return marked;
}

/**
 * The first admin: makes sure the `system-admin` role exists (once, whatever the number of
 * instances) and that the user with `email` holds it. It creates that user itself when a password
 * is given and nobody has the email yet; an existing account is promoted only when its email is
 * verified or the bootstrap / `create-admin` made it — never an account somebody signed up with
 * the address first. With `source: 'bootstrap'` nothing changes once a system administrator
 * exists — counting only live grants (systemAdmins.ts): a user whose admin assignment expired, who
 * was deactivated, or whose admin role was deactivated or expired does not stop it; a dead
 * `system-admin` role is made live again before it is assigned. Every action and refusal is
 * recorded as a UserEvent. Repository errors propagate (the caller retries once the database is
 * reachable).
 */
export async function bootstrapAdmin(deps: BootstrapAdminDependencies, input: BootstrapAdminInput): Promise<BootstrapAdminResult> {
  const email = input.email.trim().toLowerCase();
  const source = input.source ?? 'bootstrap';
  const now = deps.now?.() ?? Date.now();
  let role = await systemRole(deps.roles);
  // Only live grants count: an expired or deactivated role, assignment or `*:*` row is no admin (systemAdmins.ts).
  const adminRoleIds = await liveAdminRoleIds(deps.roles, now);
  // The bootstrap's own role, held with no expiry (an expiring assignment is made permanent).
  const holdsIt = (u: User) => u.roleId === role.id && !u.roleExpiresAt && isLiveAdmin(u, adminRoleIds, now);
  let user = await deps.users.findByEmail(email);
  if (source === 'bootstrap' && (await countLiveAdmins(deps.users, adminRoleIds, now)) > 0) {
    return user && holdsIt(user) ? { status: 'already-admin', user, role, created: false } : { status: 'admin-exists', role };
  }
  let created = false;
  if (!user && input.password) {
    user = await createUser(deps, email, input.password, input, source);
    created = user !== null && provisionedBy(user) === source;
  }
  if (!user) return { status: 'no-user', role };
  if (holdsIt(user)) return { status: 'already-admin', user, role, created };
  if (!isTrustedAccount(user)) {
    await deps.events.append({ userId: user.id, eventType: 'BOOTSTRAP_REFUSED', metadata: { by: source, reason: 'unverified-account', role: role.id } });
    return { status: 'unverified-account', role, user };
  }
  if (!adminRoleIds.includes(role.id)) role = await reviveSystemRole(deps, role, user.id, source);
  const admin = await deps.users.updateRole(user.id, role.id, BOOTSTRAP_ACTOR, { expiresAt: null, reason: source });
  await deps.events.append({ userId: user.id, eventType: 'ROLE_ASSIGNED', metadata: { from: user.roleId ?? null, to: role.id, by: source, reason: 'bootstrap' } });
  return { status: 'assigned', user: admin, role, created };
}
