import { harnessRedisUrl } from '@tools/test-harness';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ResilientCacheService } from './cache.service';
import { isCacheError } from './errors/CacheError';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { eventually } from './testing/eventually';

describe('ResilientCacheService', () => {
  it('runs L1-only without Redis and says so once', async () => {
    const info = jest.fn();
    const cache = new ResilientCacheService({ logger: { info } });
    expect(cache.mode).toBe('l1');
    expect(await cache.ready()).toBe(false);
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0][1]).toMatch(/L1-only/);
    await cache.set('k', 1);
    expect(await cache.get('k')).toBe(1);
    expect(cache.degraded).toBe(false);
    await cache.close();
  });

  it('refuses a configuration with neither layer', () => {
    let caught: unknown;
    try {
      new ResilientCacheService({ memory: false });
    } catch (error) {
      caught = error;
    }
    expect(isCacheError(caught) && caught.code).toBe('CACHE_INVALID_OPTIONS');
  });

  it('uses a client it is given, duplicates it for the bus and leaves it open on close', async () => {
    const client = new Redis(harnessRedisUrl());
    const prefix = `svc-${randomBytes(4).toString('hex')}`;
    const metrics = new FakeMetricsCollector();
    const a = new ResilientCacheService({ redis: client, prefix, metrics });
    const b = new ResilientCacheService({ redis: harnessRedisUrl(), prefix });
    try {
      expect(a.mode).toBe('l1+l2');
      expect(await a.ready()).toBe(true);
      expect(await b.ready()).toBe(true);
      await a.get('k'); // miss, both layers
      await b.set('k', 'from b');
      await eventually(() => metrics.count('cache.bus.received') === 1);
      expect(await a.get('k')).toBe('from b');
      // L2 operations were timed through executeRedisWithRetry.
      expect(metrics.operations.some((o) => o.operation === 'cache.l2.get' && o.success)).toBe(true);
      await a.close();
      expect(client.status).toBe('ready');
    } finally {
      await b.close();
      client.disconnect();
    }
  });

  it('subscribes even when the given client fails fast while offline', async () => {
    const client = new Redis(harnessRedisUrl(), { enableOfflineQueue: false, lazyConnect: true });
    const prefix = `svc-${randomBytes(4).toString('hex')}`;
    const metrics = new FakeMetricsCollector();
    const a = new ResilientCacheService({ redis: client, prefix, metrics });
    const b = new ResilientCacheService({ redis: harnessRedisUrl(), prefix });
    try {
      await client.connect();
      expect(await a.ready()).toBe(true);
      await b.ready();
      await b.delete('k');
      await eventually(() => metrics.count('cache.bus.received') === 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      client.disconnect();
    }
  });

  it('uses a custom channel and instance id', async () => {
    const prefix = `svc-${randomBytes(4).toString('hex')}`;
    const raw = new Redis(harnessRedisUrl());
    const sub = new Redis(harnessRedisUrl());
    const cache = new ResilientCacheService({ redis: harnessRedisUrl(), prefix, channel: `${prefix}-chan`, instanceId: 'me' });
    try {
      await cache.ready();
      const messages: string[] = [];
      sub.on('message', (_c, m) => messages.push(m));
      await sub.subscribe(`${prefix}-chan`);
      await cache.delete('x');
      await eventually(() => messages.length === 1);
      expect(JSON.parse(messages[0])).toEqual({ i: 'me', o: 'k', k: ['x'], t: expect.any(Number) });
      expect(cache.instanceId).toBe('me');
    } finally {
      await cache.close();
      raw.disconnect();
      sub.disconnect();
    }
  });
});
