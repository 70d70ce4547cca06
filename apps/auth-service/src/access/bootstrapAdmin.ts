import type { JsonValue, Role, User } from '@libs/database/models';
import { isRepositoryError, type IRoleRepository, type IUserEventRepository, type IUserRepository } from '@libs/database/postgress/repositories';
import { canAct } from '@libs/better-auth';

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
  users: Pick<IUserRepository, 'findByEmail' | 'updateRole' | 'update' | 'findByRole'>;
  roles: Pick<IRoleRepository, 'findByName' | 'create' | 'findMany'>;
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

/** An active user holding a system role with `*:*` (read from the primary: this decides a promotion). */
async function activeSystemAdmin(deps: BootstrapAdminDependencies, now: number): Promise<User | undefined> {
  const roles = await deps.roles.findMany({ where: { isSystem: true, isActive: true, permissions: { some: { permission: '*:*' } } } });
  for (const role of roles) {
    const holders = await deps.users.findByRole(role.id, { readFrom: 'primary' });
    const holder = holders.find((u) => canAct(u, now).ok);
    if (holder) return holder;
  }
  return undefined;
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
 * the address first. With `source: 'bootstrap'` nothing changes once an active system admin
 * exists. Every action and refusal is recorded as a UserEvent. Repository errors propagate (the
 * caller retries once the database is reachable).
 */
export async function bootstrapAdmin(deps: BootstrapAdminDependencies, input: BootstrapAdminInput): Promise<BootstrapAdminResult> {
  const email = input.email.trim().toLowerCase();
  const source = input.source ?? 'bootstrap';
  const now = deps.now?.() ?? Date.now();
  const role = await systemRole(deps.roles);
  let user = await deps.users.findByEmail(email);
  if (source === 'bootstrap') {
    const holder = await activeSystemAdmin(deps, now);
    if (holder) return user && user.roleId === role.id && !user.roleExpiresAt && canAct(user, now).ok ? { status: 'already-admin', user, role, created: false } : { status: 'admin-exists', role };
  }
  let created = false;
  if (!user && input.password) {
    user = await createUser(deps, email, input.password, input, source);
    created = user !== null && provisionedBy(user) === source;
  }
  if (!user) return { status: 'no-user', role };
  if (user.roleId === role.id && !user.roleExpiresAt && canAct(user, now).ok) return { status: 'already-admin', user, role, created };
  if (!isTrustedAccount(user)) {
    await deps.events.append({ userId: user.id, eventType: 'BOOTSTRAP_REFUSED', metadata: { by: source, reason: 'unverified-account', role: role.id } });
    return { status: 'unverified-account', role, user };
  }
  const admin = await deps.users.updateRole(user.id, role.id, BOOTSTRAP_ACTOR, { expiresAt: null, reason: source });
  await deps.events.append({ userId: user.id, eventType: 'ROLE_ASSIGNED', metadata: { from: user.roleId ?? null, to: role.id, by: source, reason: 'bootstrap' } });
  return { status: 'assigned', user: admin, role, created };
}
