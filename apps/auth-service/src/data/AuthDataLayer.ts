import type { IMetricsCollector, MetricsSnapshot } from '@libs/monitoring';
import type { ApiKeyValidationResult, PresentedApiKey, User, UserCreateInput, UserStatus } from '@libs/database/models';
import { type IUserRepository, type RepositoryMetrics, type UserStats, type UserStatsOptions } from '@libs/database/postgress/repositories';
import { executeWithRetry, type ResilienceRegistry } from '@libs/utils/src/executeWithRetry';
import type { FastifyBaseLogger } from 'fastify';
import { checkKey, type AuditActor } from '@libs/better-auth';
import type { Repositories } from '@libs/better-auth';

export interface AuthDataLayerMetrics {
  /** The seed's per-repository figures: operation count, errors, mean time, last operation. */
  repositories: Record<Exclude<keyof Repositories, 'tables'>, RepositoryMetrics>;
  /** The same, for each Better-Auth plugin table (by model name). */
  tables: Record<keyof Repositories['tables'], RepositoryMetrics>;
  /** Everything the shared collector saw (repositories, cache, HTTP, breakers). */
  collector: MetricsSnapshot;
}

export interface StatusChange {
  reason?: string;
  /** With BANNED: when the ban lapses. */
  banExpiresAt?: Date | null;
}

/**
 * How a write of users runs: with the layer's own repository by default, or inside the access
 * core's admin-change lock (`AccessCore.writeKeepingAnAdmin`) with the repository bound to it.
 */
export type UsersWrite = <R>(write: (users: IUserRepository) => Promise<R>) => Promise<R>;

/** An actor given as a plain id (the seed's signatures) or as the authenticated principal's actor. */
export type ActorLike = string | AuditActor;

const actorOf = (actor: ActorLike): AuditActor => (typeof actor === 'string' ? { userId: actor } : actor);

/**
 * The seed's `AuthDataLayer`: the data operations the auth service needs, each through a
 * repository (retry, breaker, metrics, typed errors, cache) — never Prisma. Writes record the
 * actor they are given (the authenticated principal on the admin routes).
 */
export class AuthDataLayer {
  readonly #repos: Repositories;
  readonly #metrics: IMetricsCollector;
  readonly #logger: FastifyBaseLogger;
  readonly #resilience: ResilienceRegistry | undefined;

  /** @param resilience where the breaker of the critical path lives (the app context's own); @default the process default */
  constructor(repositories: Repositories, metrics: IMetricsCollector, logger: FastifyBaseLogger, resilience?: ResilienceRegistry) {
    this.#repos = repositories;
    this.#metrics = metrics;
    this.#logger = logger;
    this.#resilience = resilience;
  }

  readonly #ownUsers: UsersWrite = (write) => write(this.#repos.users);

  /** Standard repository read (cached by email). */
  getUserByEmail(email: string): Promise<User | null> {
    return this.#repos.users.findByEmail(email);
  }

  /** Creates a user and assigns a role in one transaction: both or neither. */
  createUserWithRole(userData: UserCreateInput, roleId: string, assignedBy: ActorLike = 'system'): Promise<User> {
    const actor = actorOf(assignedBy);
    return this.#repos.users.transaction(async (repo) => {
      const user = await repo.create({ ...userData, createdBy: userData.createdBy ?? actor.userId });
      return repo.updateRole(user.id, roleId, actor.userId, { apiKeyId: actor.apiKeyId });
    });
  }

  /**
   * Critical path with a breaker of its own on top of the repository's retry (the seed's
   * Example 3). A repository error that spent the repository's schedule is marked exhausted and
   * `executeWithRetry` does not retry it again, so one validation never costs more than one
   * retry schedule. A key not found is an answer, not a failure. Returns the key's row: the
   * access core judges it (libs/better-auth access/apiKeys.ts).
   */
  findApiKeyWithRetry(plainKey: string): Promise<PresentedApiKey> {
    return executeWithRetry(
      () => this.#repos.apiKeys.findPresented(plainKey),
      (error, attempt) => this.#logger.warn({ op: 'apiKey.validate', attempt, code: (error as { code?: string })?.code }, 'api key validation failed; retrying'),
      { operationName: 'auth.validateApiKey', maxRetries: 5, enableCircuitBreaker: true, circuitBreakerThreshold: 10, registry: this.#resilience },
      this.#metrics,
    );
  }

  /**
   * The seed's key check, same name and answer shape: the key found under the same retry and
   * breaker (`findApiKeyWithRetry`), judged at the wall clock by the access core's `checkKey` (the
   * one place a key's status, expiry and scopes are decided). A valid key's use is counted.
   */
  async validateApiKeyWithRetry(plainKey: string, requiredScopes: string[] = []): Promise<ApiKeyValidationResult> {
    const found = await this.findApiKeyWithRetry(plainKey);
    if (!found.apiKey) return { valid: false, reason: found.reason };
    const apiKey = found.apiKey;
    const check = checkKey(apiKey, requiredScopes, Date.now());
    if (!check.ok) return check.reason === 'INSUFFICIENT_SCOPE' ? { valid: false, reason: check.reason, missingScopes: check.missingScopes, apiKey } : { valid: false, reason: check.reason, apiKey };
    this.#repos.apiKeys.recordUse(apiKey.id);
    return { valid: true, apiKey, userId: apiKey.userId, storeId: apiKey.storeId, scopes: apiKey.scopes, permissions: apiKey.permissions };
  }

  /**
   * Sets the status of many users at once (audited with the actor). Any status but ACTIVE ends
   * their sessions (a ban that lapses later must not bring old sessions back); DELETED is a soft
   * delete. The fourth argument may be the reason (the seed's signature) or the options.
   */
  async batchUpdateUserStatus(userIds: string[], status: UserStatus, updatedBy: ActorLike, change?: string | StatusChange, write: UsersWrite = this.#ownUsers): Promise<number> {
    const actor = actorOf(updatedBy);
    const options = typeof change === 'string' ? { reason: change } : (change ?? {});
    const updated = await write((users) => users.batchUpdateStatus(userIds, status, actor.userId, { ...options, apiKeyId: actor.apiKeyId }));
    if (status !== 'ACTIVE' && updated > 0) {
      for (const userId of userIds) await this.#repos.sessions.endAllForUser(userId, { reason: status.toLowerCase(), by: actor.userId });
    }
    return updated;
  }

  /** Soft-deletes a user (hidden from finders, sessions ended); `restoreUser` undoes it. */
  async softDeleteUser(userId: string, deletedBy: ActorLike, write: UsersWrite = this.#ownUsers): Promise<User> {
    const actor = actorOf(deletedBy);
    const user = await write((users) => users.softDelete(userId, actor.userId));
    await this.#repos.sessions.endAllForUser(userId, { reason: 'deleted', by: actor.userId });
    return user;
  }

  restoreUser(userId: string, restoredBy: ActorLike): Promise<User> {
    return this.#repos.users.restore(userId, actorOf(restoredBy).userId);
  }

  getUserStats(options?: UserStatsOptions): Promise<UserStats> {
    return this.#repos.users.getUserStats(options);
  }

  /** Users holding a role now (expired assignments excluded), a page at a time. */
  findUsersByRole(roleId: string, page: { skip?: number; take?: number } = {}): Promise<User[]> {
    return this.#repos.users.findByRole(roleId, { skip: page.skip, take: page.take ?? 100, orderBy: { createdAt: 'asc' } });
  }

  getMetrics(): AuthDataLayerMetrics {
    const { tables, ...core } = this.#repos;
    const figures = (repos: object) => Object.fromEntries(Object.entries(repos).map(([name, repo]) => [name, (repo as { getMetrics(): RepositoryMetrics }).getMetrics()]));
    return { repositories: figures(core) as AuthDataLayerMetrics['repositories'], tables: figures(tables) as AuthDataLayerMetrics['tables'], collector: this.#metrics.getMetrics() };
  }
}
