/* eslint-disable @typescript-eslint/no-unused-vars -- the seed's examples are kept verbatim, unused names included */
/**
 * A consumer's program: the seed's import block unchanged and its Examples 1–5 in the seed's
 * AuthDataLayer / WebSocketAuthService / ResilientCacheService shapes. The consumer test
 * (consumer.test.ts) copies this file into a project outside the workspace that installs the
 * packed libraries, compiles it with `tsc --strict` and runs it against Postgres and Redis;
 * it prints one JSON line of results.
 */
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

import { createDatabaseClient } from '@libs/database';
import { ResilientCacheService as TwoLayerCache } from '@libs/database/cache';
import { createMetricsRegistry, MetricsCollector } from '@libs/monitoring';
import { hashKey } from '@libs/database/postgress/repositories';
import { Redis } from 'ioredis';

export type SeedTypes = [User, UserSession, UserEvent, SessionLog, Role, RolePermission, UserStatus, UserCreateInput, UserUpdateInput, UserSessionCreateInput, UserSessionUpdateInput, ApiKey, ApiKeyStatus, ApiKeyCreateInput, ApiKeyUpdateInput, RetryOptions, WebSocketRetryOptions];
export const retryFamily = [executeWebSocketWithRetry];

class AuthDataLayer {
  readonly userRepo: UserRepository;
  readonly apiKeyRepo: ApiKeyRepository;

  constructor(db: DatabaseClient, private readonly metrics: IMetricsCollector, cache: ICache) {
    this.userRepo = new UserRepository({ db, metrics, cache });
    this.apiKeyRepo = new ApiKeyRepository({ db, metrics, cache });
  }

  // Example 1: Basic Repository Usage
  async getUserByEmail(email: string) {
    const user = await this.userRepo.findByEmail(email);
    return user;
  }

  // Example 2: Transaction Support
  async createUserWithRole(userData: UserCreateInput, roleId: string) {
    const userRepo = this.userRepo;
    return userRepo.transaction(async (repo) => {
      const user = await repo.create(userData);
      return repo.updateRole(user.id, roleId, "system");
    });
  }

  // Example 3: Enhanced Retry for Critical Operations
  async validateApiKeyWithRetry(keyHash: string) {
    const { apiKeyRepo, metrics } = this;
    return executeWithRetry(
      async () => {
        const apiKey = await apiKeyRepo.findFirst({
          where: { keyHash, isActive: true },
        });
        // ... validation logic
        return apiKey ? { valid: true, userId: apiKey.userId } : { valid: false };
      },
      (error, attempt) => {
        /* error handling */
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

class WebSocketAuthService {
  constructor(private readonly userRepo: UserRepository, private readonly metrics: IMetricsCollector) {}

  private async refreshTokens(session: User | null) {
    return { accessToken: `at-for-${session?.id ?? 'nobody'}` };
  }

  // Example 4: WebSocket Token Refresh
  async refresh(connectionId: string) {
    const { userRepo, metrics } = this;
    return executeWebSocketTokenRefresh(
      async () => {
        const session = await userRepo.findFirst({
          /* ... */
        });
        return this.refreshTokens(session);
      },
      (error, context, attempt) => {
        /* error handling */
      },
      connectionId,
      {
        maxRetries: 3,
        gracePeriod: 15000,
        isRealTime: true,
      },
      metrics
    );
  }
}

class ResilientCacheService {
  constructor(private readonly redis: Redis) {}

  // Example 5: Redis with Circuit Breaker
  async get(key: string) {
    const { redis } = this;
    return executeRedisWithRetry(
      redis,
      async (redis) => {
        const value = await redis.get(key);
        return value ? JSON.parse(value) : null;
      },
      (error, attempt) => {
        /* error handling */
      },
      {
        operationName: "redis_get",
        enableCircuitBreaker: true,
        circuitBreakerThreshold: 5,
      }
    );
  }
}

async function main(): Promise<void> {
  const { DATABASE_URL, REDIS_URL } = process.env;
  if (!DATABASE_URL || !REDIS_URL) throw new Error('DATABASE_URL and REDIS_URL are required');
  const registry = createMetricsRegistry();
  const metrics = new MetricsCollector({ registry });
  const db = await createDatabaseClient({ url: DATABASE_URL, migrate: true, poolMax: 2 });
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  const cache = new TwoLayerCache({ redis, prefix: `consumer:${process.pid}:` });
  try {
    const layer = new AuthDataLayer(db, metrics, cache);
    const role = await db.prisma.role.create({ data: { name: `consumer-${process.pid}` } });
    const created = await layer.createUserWithRole({ email: `consumer-${process.pid}@example.com`, firstName: 'Consumer' }, role.id);
    const found = await layer.getUserByEmail(`consumer-${process.pid}@example.com`);
    const { plainKey } = await layer.apiKeyRepo.createKey({ name: 'consumer', userId: created.id, scopes: ['read'] });
    const valid = await layer.validateApiKeyWithRetry(hashKey(plainKey));
    const unknown = await layer.validateApiKeyWithRetry('0'.repeat(64));
    const refreshed = await new WebSocketAuthService(layer.userRepo, metrics).refresh('connection-1');
    await redis.set(`consumer:${process.pid}:example5`, JSON.stringify({ plainKeyLength: plainKey.length }));
    const fromRedis = await new ResilientCacheService(redis).get(`consumer:${process.pid}:example5`);
    const exported = await registry.metrics();
    console.log(
      JSON.stringify({
        example1: found?.id === created.id,
        example2: { roleId: created.roleId === role.id, assignedBy: created.roleAssignedBy },
        example3: { valid, unknown },
        example4: refreshed,
        example5: fromRedis,
        metricNames: metrics.exportedMetricNames,
        exportedAll: metrics.exportedMetricNames.every((name) => exported.includes(name)),
      }),
    );
  } finally {
    await closeAll(cache, redis, db);
  }
}

async function closeAll(cache: TwoLayerCache, redis: Redis, db: DatabaseClient): Promise<void> {
  await cache.close();
  redis.disconnect();
  await db.disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
