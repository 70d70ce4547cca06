import type { PermissionGrant, User, UserSession } from '@libs/database/models';
import type { IRoleRepository, ISessionRepository, IUserEventRepository, IUserRepository } from '@libs/database/postgress/repositories';
import { ApiKeyVerifier, type ApiKeyVerifierDependencies, type ApiKeyVerifierOptions } from '../plugins/api-key/ApiKeyVerifier';
import { holdsEscalate } from './authority';
import { AuthorityRefusedError, AuthorityRule, type AuthorityDecision, type AuthorityDependencies, type RoleChange, type UserAction } from './authorityCheck';
import { decide, effectiveGrants, type Decision } from './authorize';
import { canAct, type ActDecision } from './canAct';
import type { ResourceContext } from './conditions';
import { changeLeavesNoAdmin, mayRemoveAdmin, type AdminChange } from './lastAdmin';
import type { CredentialHeaders, CredentialReader } from './credentials';
import { sessionPrincipal, type Principal } from './Principal';
import { SessionRule } from './sessions';

/** Runs work off the request's path (lifting lapsed bans); failures are the runner's to log. */
export interface BackgroundRunner {
  run(name: string, task: () => Promise<unknown>): void;
}

/** Why a request has no principal: the HTTP status and a stable code. */
export interface Refusal {
  status: 401 | 403 | 429;
  code: string;
  message: string;
  retryAfterS?: number;
  missingScopes?: string[];
  /** What the actor lacks (an authority refusal: ROLE_ESCALATION). */
  missing?: string[];
  /** The permission refused (PERMISSION_DENIED / INSUFFICIENT_SCOPE). */
  permission?: string;
}

export type Authentication = { ok: true; principal: Principal } | { ok: false; refusal: Refusal };

export const UNAUTHENTICATED: Refusal = { status: 401, code: 'UNAUTHORIZED', message: 'Unauthorized' };

export interface AccessCoreDependencies {
  users: Pick<IUserRepository, 'findById' | 'liftLapsedBan'>;
  sessions: Pick<ISessionRepository, 'findActiveByToken'>;
  roles: Pick<IRoleRepository, 'getUserGrants'>;
  events: Pick<IUserEventRepository, 'append'>;
  credentials: CredentialReader;
  /** What the authority rule reads (roles' authority, system admins) and where it audits a bypass; without it `mayChangeRole` / `mayActOnUsers` throw. */
  authority?: AuthorityDependencies;
  /** Where changes that could take away a system administrator are written (`writeKeepingAnAdmin`); without it that throws. */
  adminWrites?: AdminWriteRepositories;
  /**
   * What the core's key verifier reads (the key rows and the rate limiter); the core builds the
   * verifier and answers its "may the owner act" itself. Without it `keys` / `authenticateKey` throw.
   */
  apiKeys?: Omit<ApiKeyVerifierDependencies, 'owners' | 'now'> & { options?: ApiKeyVerifierOptions };
  /** Lifting lapsed bans runs here, off the request's path. */
  background: BackgroundRunner;
  /** @default Date.now */
  now?: () => number;
  /**
   * Absolute session lifetime: however often a session is refreshed, it ends this long after it
   * was created (the user signs in again). @default DEFAULT_SESSION_ABSOLUTE_LIFETIME_MS (30 days)
   */
  sessionAbsoluteLifetimeMs?: number;
}

/** The repositories a change of admins writes through: inside the admin-change lock, bound to its transaction. */
export interface AdminWriteRepositories {
  users: IUserRepository;
  roles: IRoleRepository;
}

export const DEFAULT_SESSION_ABSOLUTE_LIFETIME_MS = 30 * 86_400_000;

export interface AuthenticateOptions {
  /** Accept `x-api-key`. @default true */
  apiKey?: boolean;
}

/**
 * Who is calling and what they may do, decided in one place. Turns a request's credential —
 * session cookie, bearer token or `x-api-key` — into a `Principal` or a typed refusal, and answers
 * permission checks for it. Status is decided by `canAct` only; sessions are read from the
 * repositories' cache (invalidated on every instance by the cache bus), so a ban, a revocation or
 * a password change is seen everywhere on the next request.
 */
export class AccessCore {
  readonly #deps: AccessCoreDependencies;
  readonly #now: () => number;
  readonly #absoluteMs: number;
  readonly #lifting = new Set<string>();
  readonly #keys: ApiKeyVerifier | undefined;
  readonly #authority: AuthorityRule | undefined;
  /** "This session is live" (sessions.ts), on this core's clock and its user decision. */
  readonly sessionRule: SessionRule;

  constructor(deps: AccessCoreDependencies) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#absoluteMs = deps.sessionAbsoluteLifetimeMs ?? DEFAULT_SESSION_ABSOLUTE_LIFETIME_MS;
    this.#authority =
      deps.authority &&
      new AuthorityRule({
        ...deps.authority,
        actorGrants: (principal) => this.effectiveGrants(principal),
        mayEscalate: async (principal) => holdsEscalate(await this.#grants(principal), principal.apiKey?.grant),
        now: () => this.now(),
      });
    this.sessionRule = new SessionRule({ now: () => this.now(), decideUser: (user) => this.decideUser(user) });
    // The verifier asks only "may this owner act" (a function, not the core): built here, no setter.
    this.#keys = deps.apiKeys && new ApiKeyVerifier({ ...deps.apiKeys, owners: { actingUser: (userId) => this.actingUser(userId) }, now: () => this.now() }, deps.apiKeys.options);
  }

  get credentials(): CredentialReader {
    return this.#deps.credentials;
  }

  /** The key verifier (built from `deps.apiKeys`; it asks this core whether a key's owner may act). */
  get keys(): ApiKeyVerifier {
    if (!this.#keys) throw new Error('AccessCore: no key verifier configured');
    return this.#keys;
  }

  /** The core's clock (tests move it; everything here reads time through it). */
  now(): number {
    return this.#now();
  }

  /**
   * `canAct` for `user` now; a temporary ban that has lapsed is lifted in the background (status
   * ACTIVE, audit entry, `ban_lapsed` event) the first time it is seen.
   */
  decideUser(user: User | null | undefined): ActDecision {
    const decision = canAct(user, this.now());
    if (decision.ok && decision.lapsedBan && user) this.#liftLapsedBan(user.id);
    return decision;
  }

  /** The user by id when they may act now; null otherwise. Repository errors propagate (503). */
  async actingUser(userId: string): Promise<User | null> {
    const user = await this.#deps.users.findById(userId);
    return this.decideUser(user).ok ? user : null;
  }

  /**
   * A session's expiry, never past its absolute lifetime. Every session write through the adapter
   * goes through this (creation and each refresh), so `expiresAt` alone enforces the lifetime and
   * Better-Auth's own expiry check and the lean route agree.
   */
  capExpiry(session: { createdAt: Date }, expiresAt: Date): Date {
    const limit = session.createdAt.getTime() + this.#absoluteMs;
    return expiresAt.getTime() > limit ? new Date(limit) : expiresAt;
  }

  /** The live session of a token and its user, when that user may act (`sessionRule`); null otherwise. */
  async sessionByToken(token: string): Promise<{ session: UserSession; user: User } | null> {
    // The repository's active/unexpired filter only saves reads; the rule decides, on this clock.
    const session = await this.#deps.sessions.findActiveByToken(token);
    if (!session || this.sessionRule.state(session) !== 'live') return null;
    const decision = this.sessionRule.decide(session, await this.#deps.users.findById(session.userId));
    return decision.live ? { session, user: decision.user } : null;
  }

  /** The request's principal: `x-api-key` (when allowed) or the session cookie / bearer token. */
  async authenticate(headers: CredentialHeaders, options: AuthenticateOptions = {}): Promise<Authentication> {
    if (options.apiKey !== false && headers['x-api-key'] !== undefined) return this.authenticateKey(this.credentials.apiKey(headers));
    const credential = await this.credentials.sessionToken(headers);
    if (credential.kind !== 'token') return { ok: false, refusal: UNAUTHENTICATED };
    const found = await this.sessionByToken(credential.token);
    return found ? { ok: true, principal: sessionPrincipal(found.user, found.session) } : { ok: false, refusal: UNAUTHENTICATED };
  }

  /**
   * A presented API key as a principal, or why not (401 / 403 / 429 with Retry-After).
   * `countRate: false`: a re-check of a key already in use (an open socket), outside its rate limit.
   */
  async authenticateKey(plainKey: string | undefined, options: { countRate?: boolean } = {}): Promise<Authentication> {
    const outcome = await this.keys.verify(plainKey, [], options);
    if (!outcome.ok) {
      return { ok: false, refusal: { status: outcome.status, code: outcome.error.code, message: outcome.error.message, retryAfterS: outcome.retryAfterS, missingScopes: outcome.missingScopes } };
    }
    return { ok: true, principal: outcome.principal };
  }

  /** A principal for a user Better-Auth has already authenticated (its session middleware). */
  async principalOfUser(userId: string, session: UserSession | null = null): Promise<Principal | null> {
    const user = await this.actingUser(userId);
    return user ? sessionPrincipal(user, session) : null;
  }

  /** May `principal` do `permission` (on `resource`, now)? */
  async authorize(principal: Principal, permission: string, resource?: ResourceContext): Promise<Decision> {
    return decide(await this.#grants(principal), principal, permission, resource, this.now());
  }

  /** What the principal may do: the user's grants, narrowed by a key's grant. */
  async effectiveGrants(principal: Principal): Promise<PermissionGrant[]> {
    return effectiveGrants(await this.#grants(principal), principal);
  }

  /**
   * May `principal` make this change to a role? Its effective grants must contain the role's
   * authority before and after (ROLE_ESCALATION), a system role needs `*:*` (SYSTEM_ROLE), the
   * last system admin stays (LAST_ADMIN); `roles:escalate` bypasses containment, audited.
   */
  mayChangeRole(principal: Principal, change: RoleChange): Promise<AuthorityDecision> {
    return this.#rule().checkRoleChange(principal, change);
  }

  /**
   * May `principal` act on these users (status, delete, restore, sessions, role) or create one
   * with a role? Its grants must contain each target's (TARGET_OUTRANKS_ACTOR) and any role given
   * (ROLE_ESCALATION); the last system admin stays (LAST_ADMIN). Decided before anything is written.
   */
  mayActOnUsers(principal: Principal, action: UserAction): Promise<AuthorityDecision> {
    return this.#rule().checkUserAction(principal, action);
  }

  /**
   * Writes a change that could take away a system administrator (`mayRemoveAdmin`: disabling or
   * re-assigning users, deactivating / expiring / re-parenting / stripping a system role) one at a
   * time across instances: inside `UserRepository.withAdminChangeLock` LAST_ADMIN is decided
   * again on what is committed by then (the users and the role re-read), and `write` runs with
   * the repositories bound to that transaction. Without this, two requests could each see the
   * other admin and both succeed. When the change would now leave no administrator it throws
   * `AuthorityRefusedError` (403 LAST_ADMIN) and nothing is written. A change that cannot remove
   * an admin is written directly. `write` must only write through the repositories it is given
   * (the transaction may be rerun); whatever else follows (ending sessions, events) comes after.
   */
  async writeKeepingAnAdmin<R>(change: AdminChange, write: (repositories: AdminWriteRepositories) => Promise<R>): Promise<R> {
    const repositories = this.#deps.adminWrites;
    if (!repositories) throw new Error('AccessCore: no admin write repositories configured');
    if (!mayRemoveAdmin(change)) return write(repositories);
    return repositories.users.withAdminChangeLock([repositories.roles], async (users, roles) => {
      const locked = { users, roles };
      const current = 'roleChange' in change && change.roleChange.role ? { roleChange: { ...change.roleChange, role: await roles.findById(change.roleChange.role.id) } } : change;
      if (await changeLeavesNoAdmin(locked, current, this.now())) throw new AuthorityRefusedError('LAST_ADMIN');
      return write(locked);
    });
  }

  #rule(): AuthorityRule {
    if (!this.#authority) throw new Error('AccessCore: no authority dependencies configured');
    return this.#authority;
  }

  async #grants(principal: Principal): Promise<PermissionGrant[]> {
    // The principal was built from a user who could act; re-checked so a cached principal never outlives a ban.
    if (!this.decideUser(principal.user).ok) return [];
    if (principal.user.roleExpiresAt && principal.user.roleExpiresAt.getTime() <= this.now()) return [];
    return this.#deps.roles.getUserGrants(principal.user.id);
  }

  #liftLapsedBan(userId: string): void {
    if (this.#lifting.has(userId)) return;
    this.#lifting.add(userId);
    this.#deps.background.run('users.liftLapsedBan', async () => {
      try {
        if (await this.#deps.users.liftLapsedBan(userId, new Date(this.now()))) {
          await this.#deps.events.append({ userId, eventType: 'ban_lapsed' });
        }
      } finally {
        this.#lifting.delete(userId);
      }
    });
  }
}
