import type { IMetricsCollector, MetricsSnapshot } from '@libs/monitoring';
import type { ApiKeyValidationResult, User, UserCreateInput, UserSession, UserStatus } from '@libs/database/models';
import type { RepositoryMetrics } from '@libs/database/postgress/repositories';
import { executeWithRetry } from '@libs/utils/src/executeWithRetry';
import type { FastifyBaseLogger } from 'fastify';
import type { Repositories } from '../repositories';

export interface AuthDataLayerMetrics {
  /** The seed's per-repository figures: operation count, errors, mean time, last operation. */
  repositories: Record<keyof Repositories, RepositoryMetrics>;
  /** Everything the shared collector saw (repositories, cache, HTTP, breakers). */
  collector: MetricsSnapshot;
}

/**
 * The seed's `AuthDataLayer`: the data operations the auth service needs, each through a
 * repository (retry, breaker, metrics, typed errors, cache) — never Prisma.
 */
export class AuthDataLayer {
  readonly #repos: Repositories;
  readonly #metrics: IMetricsCollector;
  readonly #logger: FastifyBaseLogger;

  constructor(repositories: Repositories, metrics: IMetricsCollector, logger: FastifyBaseLogger) {
    this.#repos = repositories;
    this.#metrics = metrics;
    this.#logger = logger;
  }

  /** Standard repository read (cached by email). */
  getUserByEmail(email: string): Promise<User | null> {
    return this.#repos.users.findByEmail(email);
  }

  /** Creates a user and assigns a role in one transaction: both or neither. */
  createUserWithRole(userData: UserCreateInput, roleId: string, assignedBy = 'system'): Promise<User> {
    return this.#repos.users.transaction(async (repo) => {
      const user = await repo.create(userData);
      return repo.updateRole(user.id, roleId, assignedBy);
    });
  }

  /**
   * Critical path with its own retry budget on top of the repository's (the seed's Example 3):
   * more attempts and a breaker of its own. Rejections (`valid: false`) are answers, not failures.
   */
  validateApiKeyWithRetry(plainKey: string, requiredScopes: string[] = []): Promise<ApiKeyValidationResult> {
    return executeWithRetry(
      () => this.#repos.apiKeys.validate(plainKey, requiredScopes),
      (error, attempt) => this.#logger.warn({ op: 'apiKey.validate', attempt, code: (error as { code?: string })?.code }, 'api key validation failed; retrying'),
      { operationName: 'auth.validateApiKey', maxRetries: 5, enableCircuitBreaker: true, circuitBreakerThreshold: 10 },
      this.#metrics,
    );
  }

  /** Sets the status of many users at once (audited); a ban ends their sessions on every instance. */
  batchUpdateUserStatus(userIds: string[], status: UserStatus, updatedBy: string, reason?: string): Promise<number> {
    return this.#repos.users.batchUpdateStatus(userIds, status, updatedBy, reason);
  }

  /** Cache-first: the live session for a token and its user (both cached and invalidated on writes). */
  async getUserSessionCached(token: string): Promise<{ session: UserSession; user: User } | null> {
    const session = await this.#repos.sessions.findActiveByToken(token);
    if (!session || session.expiresAt.getTime() <= Date.now()) return null;
    const user = await this.#repos.users.findById(session.userId);
    return user ? { session, user } : null;
  }

  getMetrics(): AuthDataLayerMetrics {
    const repositories = Object.fromEntries(Object.entries(this.#repos).map(([name, repo]) => [name, repo.getMetrics()])) as AuthDataLayerMetrics['repositories'];
    return { repositories, collector: this.#metrics.getMetrics() };
  }
}
