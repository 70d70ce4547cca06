// The seed's import block, unchanged (it must compile against the libs), then its Examples 1–3.
// Database models
import type {
  User,
  UserSession,
  UserEvent,
  SessionLog,
  Role,
  RolePermission,
  UserStatus,
  UserCreateInput,
  UserUpdateInput,
  UserSessionCreateInput,
  UserSessionUpdateInput,
} from "@libs/database/models";

import type {
  ApiKey,
  ApiKeyStatus,
  ApiKeyCreateInput,
  ApiKeyUpdateInput,
} from "@libs/database/models";

// Repositories
import { UserRepository } from "@libs/database/postgress/repositories";
import { ApiKeyRepository } from "@libs/database/postgress/repositories";

// Retry utilities
import {
  executeWithRetry,
  executeRedisWithRetry,
  executeWebSocketWithRetry,
  executeWebSocketTokenRefresh,
  type RetryOptions,
  type WebSocketRetryOptions,
} from "@libs/utils/src/executeWithRetry";

// Core types
import type { IMetricsCollector } from "@libs/monitoring";
import type { ICache } from "@libs/database/cache";
import type { DatabaseClient } from "@libs/database/types";
import type { ApiKeyValidationResult } from './models';
import { hashKey } from './postgress/repositories/apiKeyMaterial';
import { FakeCache } from './testing/FakeCache';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { migratedTestDatabase, type MigratedTestDatabase } from './testing/testDatabase';

// Every imported name is used (the lint rule forbids unused imports).
type _SeedTypes = [User, UserSession, UserEvent, SessionLog, Role, RolePermission, UserStatus, UserCreateInput, UserUpdateInput, UserSessionCreateInput, UserSessionUpdateInput, ApiKey, ApiKeyStatus, ApiKeyCreateInput, ApiKeyUpdateInput, RetryOptions, WebSocketRetryOptions];
const _retryFamily = [executeRedisWithRetry, executeWebSocketWithRetry, executeWebSocketTokenRefresh];

/** The seed's AuthDataLayer, reduced to Examples 1–3. */
class AuthDataLayer {
  readonly userRepo: UserRepository;
  readonly apiKeyRepo: ApiKeyRepository;

  constructor(
    db: DatabaseClient,
    private readonly metrics: IMetricsCollector,
    cache: ICache,
  ) {
    // "Repository initialization with dependencies (db, metrics, cache)"
    this.userRepo = new UserRepository({ db, metrics, cache });
    this.apiKeyRepo = new ApiKeyRepository({ db, metrics, cache });
  }

  // Example 1: Basic Repository Usage
  async getUserByEmail(email: string): Promise<User | null> {
    const user = await this.userRepo.findByEmail(email);
    return user;
  }

  // Example 2: Transaction Support
  async createUserWithRole(userData: UserCreateInput, roleId: string): Promise<User> {
    const userRepo = this.userRepo;
    return userRepo.transaction(async (repo) => {
      const user = await repo.create(userData);
      return repo.updateRole(user.id, roleId, "system");
    });
  }

  // Example 3: Enhanced Retry for Critical Operations
  async validateApiKeyWithRetry(keyHash: string): Promise<ApiKeyValidationResult> {
    const { apiKeyRepo, metrics } = this;
    return executeWithRetry(
      async () => {
        const apiKey = await apiKeyRepo.findFirst({
          where: { keyHash, isActive: true },
        });
        // ... validation logic
        return apiKey ? { valid: true, userId: apiKey.userId, scopes: apiKey.scopes } : { valid: false, reason: 'NOT_FOUND' as const };
      },
      (error, attempt) => {
        /* error handling */
        void error;
        void attempt;
      },
      {
        maxRetries: 5,
        enableCircuitBreaker: true,
        circuitBreakerThreshold: 10,
      },
      metrics
    );
  }
}

describe('the seed’s import block and Examples 1–3', () => {
  let t: MigratedTestDatabase;
  let layer: AuthDataLayer;
  beforeAll(async () => {
    t = await migratedTestDatabase('seed');
    layer = new AuthDataLayer(t.client, new FakeMetricsCollector(), new FakeCache());
  });
  afterAll(() => t.close());

  it('compiles and runs', async () => {
    expect(_retryFamily.every((fn) => typeof fn === 'function')).toBe(true);
    const role = await t.client.prisma.role.create({ data: { name: 'member' } });
    const user = await layer.createUserWithRole({ email: 'seed@example.com', firstName: 'Seed' }, role.id);
    expect(user).toMatchObject({ roleId: role.id, roleAssignedBy: 'system' });
    expect(await layer.getUserByEmail('seed@example.com')).toMatchObject({ id: user.id });
    const { plainKey } = await layer.apiKeyRepo.createKey({ name: 'seed', userId: user.id, scopes: ['read'] });
    expect(await layer.validateApiKeyWithRetry(hashKey(plainKey))).toEqual({ valid: true, userId: user.id, scopes: ['read'] });
    expect(await layer.validateApiKeyWithRetry(hashKey('nope'))).toEqual({ valid: false, reason: 'NOT_FOUND' });
  });
});
