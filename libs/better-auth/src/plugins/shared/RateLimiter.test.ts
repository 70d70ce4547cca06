import { randomUUID } from 'node:crypto';
import { harnessRedisUrl, startDedicatedRedis, waitFor, type LocalRedis } from '@tools/test-harness';
import { RateLimiter } from './RateLimiter';

const limit = { max: 3, windowMs: 60_000 };

describe('RateLimiter', () => {
  it('counts in memory without Redis', async () => {
    const limiter = new RateLimiter();
    expect(limiter.mode).toBe('memory');
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push((await limiter.hit('k', limit)).allowed);
    expect(results).toEqual([true, true, true, false]);
    await limiter.close();
  });

  it('shares one window between instances through Redis, with the TTL as reset time', async () => {
    const url = harnessRedisUrl();
    const [one, two] = [new RateLimiter({ redis: url }), new RateLimiter({ redis: url })];
    const key = `k-${randomUUID()}`;
    expect((await one.hit(key, limit)).allowed).toBe(true);
    expect((await two.hit(key, limit)).allowed).toBe(true);
    expect((await one.hit(key, limit)).count).toBe(3);
    const refused = await two.hit(key, limit);
    expect(refused).toMatchObject({ allowed: false, count: 4, limit: 3 });
    expect(refused.resetInMs).toBeGreaterThan(59_000);
    expect(refused.resetInMs).toBeLessThanOrEqual(60_000);
    expect(one.mode).toBe('redis');
    await Promise.all([one.close(), two.close()]);
  });

  it('opens a new window once the old one expires in Redis', async () => {
    const limiter = new RateLimiter({ redis: harnessRedisUrl() });
    const key = `k-${randomUUID()}`;
    const short = { max: 1, windowMs: 1_000 }; // the shortest window: Redis expiries are whole seconds
    expect((await limiter.hit(key, short)).allowed).toBe(true);
    const refused = await limiter.hit(key, short);
    expect(refused.allowed).toBe(false);
    expect(refused.resetInMs).toBeLessThanOrEqual(1_000);
    // Redis's clock decides: wait (with a deadline) until the window is over, never a fixed sleep.
    await waitFor(async () => {
      if (!(await limiter.hit(key, short)).allowed) throw new Error('still limited');
    }, 10_000, 'a new window');
    expect(limiter.mode).toBe('redis');
    await limiter.close();
  });

  describe('when Redis goes down', () => {
    let redis: LocalRedis;
    beforeAll(async () => {
      redis = await startDedicatedRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it('keeps limiting in memory (never fail-open, never an error) and goes back to Redis when it returns', async () => {
      const warnings: object[] = [];
      const logger = { debug: () => undefined, info: () => undefined, warn: (obj: object) => warnings.push(obj), error: () => undefined };
      const limiter = new RateLimiter({ redis: redis.url, logger, breakerKey: `ratelimit-test-${randomUUID()}`, breakerResetMs: 300 });
      const key = `k-${randomUUID()}`;
      expect((await limiter.hit(key, limit)).allowed).toBe(true);
      expect(limiter.mode).toBe('redis');
      await redis.stop();
      const during = [];
      for (let i = 0; i < 5; i += 1) during.push((await limiter.hit(key, limit)).allowed);
      expect(during).toEqual([true, true, true, false, false]); // the memory window limits on its own
      expect(limiter.mode).toBe('memory');
      expect(warnings).toHaveLength(1);
      await redis.start();
      let probe = 0;
      await waitFor(async () => {
        await limiter.hit(`probe-${probe++}`, limit);
        if (limiter.mode !== 'redis') throw new Error('still in memory');
      }, 15_000, 'the limiter back on Redis');
      await limiter.close();
    }, 20_000);

    it('keeps limiting in memory while Redis is frozen (SIGSTOP), each hit bounded by the timeout, never open', async () => {
      const limiter = new RateLimiter({ redis: redis.url, breakerKey: `ratelimit-test-${randomUUID()}`, redisTimeoutMs: 100 });
      const key = `frozen-${randomUUID()}`;
      expect((await limiter.hit(key, limit)).allowed).toBe(true);
      process.kill(redis.pid!, 'SIGSTOP');
      try {
        const during = [];
        for (let i = 0; i < 5; i += 1) during.push((await limiter.hit(key, limit)).allowed);
        expect(during).toEqual([true, true, true, false, false]);
        expect(limiter.mode).toBe('memory');
      } finally {
        process.kill(redis.pid!, 'SIGCONT');
      }
      await limiter.close();
    }, 20_000);
  });
});
