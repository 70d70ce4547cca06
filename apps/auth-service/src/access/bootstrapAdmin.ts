import type { Role, User } from '@libs/database/models';
import { isRepositoryError, type IRoleRepository, type IUserEventRepository, type IUserRepository } from '@libs/database/postgress/repositories';

/** The system role the bootstrap creates: every permission, not deletable through the API. */
export const SYSTEM_ADMIN_ROLE = { name: 'system-admin', displayName: 'System administrator', permissions: ['*:*'] } as const;

/** Recorded as the actor of what the bootstrap does. */
export const BOOTSTRAP_ACTOR = 'bootstrap';

export interface BootstrapAdminDependencies {
  users: Pick<IUserRepository, 'findByEmail' | 'updateRole'>;
  roles: Pick<IRoleRepository, 'findByName' | 'create'>;
  events: Pick<IUserEventRepository, 'append'>;
  /** Creates a user with a password the way sign-up does (Better-Auth hashes it and links the account). */
  signUp: (input: { email: string; password: string; name: string }) => Promise<unknown>;
}

export interface BootstrapAdminInput {
  email: string;
  /** Creates the user when there is none with this email. */
  password?: string;
  /** @default 'Administrator' */
  name?: string;
}

export type BootstrapAdminResult =
  | { status: 'assigned' | 'already-admin'; user: User; role: Role; created: boolean }
  | { status: 'no-user'; role: Role };

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
 * The first admin: makes sure the `system-admin` role exists (once, whatever the number of
 * instances) and that the user with `email` holds it — creating that user when a password is
 * given and nobody has the email yet. Idempotent: a second run changes nothing. Repository
 * errors propagate (the caller retries once the database is reachable).
 */
export async function bootstrapAdmin(deps: BootstrapAdminDependencies, input: BootstrapAdminInput): Promise<BootstrapAdminResult> {
  const email = input.email.trim().toLowerCase();
  const role = await systemRole(deps.roles);
  let user = await deps.users.findByEmail(email);
  let created = false;
  if (!user && input.password) {
    await deps.signUp({ email, password: input.password, name: input.name ?? 'Administrator' });
    user = await deps.users.findByEmail(email);
    created = user !== null;
  }
  if (!user) return { status: 'no-user', role };
  if (user.roleId === role.id && !user.roleExpiresAt) return { status: 'already-admin', user, role, created };
  const admin = await deps.users.updateRole(user.id, role.id, BOOTSTRAP_ACTOR, { expiresAt: null, reason: 'bootstrap' });
  await deps.events.append({ userId: user.id, eventType: 'ROLE_ASSIGNED', metadata: { from: user.roleId ?? null, to: role.id, by: BOOTSTRAP_ACTOR, reason: 'bootstrap' } });
  return { status: 'assigned', user: admin, role, created };
}
