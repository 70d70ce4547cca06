/* eslint-disable @typescript-eslint/no-unused-vars -- the seed's examples are kept verbatim, unused names included */
/**
 * The seed's Examples 3, 4 and 5, copied unchanged into methods of small classes, compiled by
 * the project's typecheck and run against fakes. If the lib's API drifts from the seed, this
 * file stops compiling.
 */
import {
  executeWithRetry,
  executeRedisWithRetry,
  executeWebSocketWithRetry,
  executeWebSocketTokenRefresh,
  type RetryOptions,
  type WebSocketRetryOptions,
} from '@libs/utils/src/executeWithRetry';
import type { IMetricsCollector } from '@libs/monitoring';
import { listCircuitBreakers, resetCircuitBreakers, resetRetryBudgets, resetWebSocketConnections } from './registry/defaultRegistry';
import { errorWith } from './testing/errorWith';
import { FakeMetricsCollector } from '@libs/monitoring/testing';

interface FakeApiKey {
  keyHash: string;
  isActive: boolean;
}
interface FakeSession {
  id: string;
  refreshToken: string;
}

class FakeApiKeyRepo {
  failures: Error[] = [];
  calls = 0;
  constructor(private readonly rows: FakeApiKey[]) {}
  async findFirst(args: { where: Partial<FakeApiKey> }): Promise<FakeApiKey | null> {
    this.calls++;
    const failure = this.failures.shift();
    if (failure) throw failure;
    return this.rows.find((r) => r.keyHash === args.where.keyHash && r.isActive === args.where.isActive) ?? null;
  }
}

class FakeUserRepo {
  calls = 0;
  async findFirst(_args: Record<string, unknown> = {}): Promise<FakeSession> {
    this.calls++;
    return { id: 's1', refreshToken: 'rt-1' };
  }
}

class FakeRedis {
  constructor(readonly data: Record<string, string>) {}
  async get(key: string): Promise<string | null> {
    return this.data[key] ?? null;
  }
}

/** Example 3: Enhanced Retry for Critical Operations. */
class AuthDataLayer {
  constructor(
    private readonly apiKeyRepo: FakeApiKeyRepo,
    private readonly metrics: IMetricsCollector,
  ) {}

  async validateApiKeyWithRetry(keyHash: string) {
    const { apiKeyRepo, metrics } = this;
    return executeWithRetry(
      async () => {
        const apiKey = await apiKeyRepo.findFirst({
          where: { keyHash, isActive: true },
        });
        // ... validation logic
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

/** Example 4: WebSocket Token Refresh. */
class WebSocketAuthService {
  refreshed: FakeSession[] = [];
  constructor(
    private readonly userRepo: FakeUserRepo,
    private readonly metrics: IMetricsCollector,
  ) {}

  private async refreshTokens(session: FakeSession): Promise<{ accessToken: string }> {
    this.refreshed.push(session);
    return { accessToken: `at-for-${session.id}` };
  }

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

/** Example 5: Redis with Circuit Breaker. */
class ResilientCacheService {
  constructor(private readonly redis: FakeRedis) {}

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

beforeEach(() => {
  resetCircuitBreakers();
  resetRetryBudgets();
  resetWebSocketConnections();
});

describe("the seed's examples", () => {
  it('Example 3 retries a transient repository failure and records metrics', async () => {
    jest.useFakeTimers();
    try {
      const metrics = new FakeMetricsCollector();
      const repo = new FakeApiKeyRepo([{ keyHash: 'h1', isActive: true }]);
      repo.failures = [errorWith({ code: 'P1001' }), errorWith({ code: 'P2024' })];
      const pending = new AuthDataLayer(repo, metrics).validateApiKeyWithRetry('h1');
      await jest.advanceTimersByTimeAsync(5_000);
      await expect(pending).resolves.toBeUndefined();
      expect(repo.calls).toBe(3);
      expect(metrics.operations.map((o) => o.success)).toEqual([false, false, true]);
      expect(listCircuitBreakers()).toEqual([{ key: 'operation', state: 'closed' }]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('Example 4 refreshes once for concurrent callers on a connection', async () => {
    const users = new FakeUserRepo();
    const service = new WebSocketAuthService(users, new FakeMetricsCollector());
    const results = await Promise.all([service.refresh('ws-1'), service.refresh('ws-1'), service.refresh('ws-2')]);
    expect(results).toEqual([{ accessToken: 'at-for-s1' }, { accessToken: 'at-for-s1' }, { accessToken: 'at-for-s1' }]);
    expect(users.calls).toBe(2);
    expect(service.refreshed).toHaveLength(2);
  });

  it('Example 5 reads and parses through the Redis retry', async () => {
    const cache = new ResilientCacheService(new FakeRedis({ user: '{"id":"u1"}' }));
    await expect(cache.get('user')).resolves.toEqual({ id: 'u1' });
    await expect(cache.get('missing')).resolves.toBeNull();
    expect(listCircuitBreakers()).toEqual([{ key: 'redis_get', state: 'closed' }]);
  });

  it('exports the seed names: executeWebSocketWithRetry, RetryOptions, WebSocketRetryOptions', async () => {
    const options: RetryOptions = { maxRetries: 1 };
    const wsOptions: WebSocketRetryOptions = { ...options, isRealTime: true, gracePeriod: 1_000 };
    await expect(executeWebSocketWithRetry(async ({ connectionId }) => connectionId, undefined, 'ws-9', wsOptions)).resolves.toBe('ws-9');
  });
});
