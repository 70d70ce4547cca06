import { Redis } from 'ioredis';
import { startRedisWithSentinel, type RedisSentinelSetup } from './localSentinel';

describe('startRedisWithSentinel', () => {
  let setup: RedisSentinelSetup | undefined;
  afterEach(async () => {
    await setup?.stop();
    setup = undefined;
  });

  it('a master, a replica and three Sentinels; killing the master promotes the replica, which holds the data', async () => {
    setup = await startRedisWithSentinel();
    expect(setup.sentinels).toHaveLength(3);
    expect(setup.nodes).toHaveLength(2);
    const first = await setup.masterAddress();
    expect(first.port).toBe(setup.nodes[0].port);
    const client = new Redis({ sentinels: setup.sentinels, name: setup.masterName, lazyConnect: true });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.set('harness:sentinel', 'kept');
      // The write reached the replica before the master dies (asynchronous replication otherwise may lose it).
      expect(await client.wait(1, 5_000)).toBe(1);
      const killed = await setup.killMaster();
      expect(killed).toEqual(first);
      const promoted = await setup.waitForFailover(killed);
      expect(promoted.port).toBe(setup.nodes[1].port);
      expect(await client.get('harness:sentinel')).toBe('kept');
      await client.set('harness:sentinel', 'after');
      expect(await client.get('harness:sentinel')).toBe('after');
    } finally {
      client.disconnect();
    }
    const pids = [...setup.nodes, ...setup.sentinelServers].map((p) => p.pid).filter((pid): pid is number => pid !== undefined);
    await setup.stop();
    setup = undefined;
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('passwords: data nodes and Sentinels both require AUTH, and a client with both connects', async () => {
    setup = await startRedisWithSentinel({ sentinels: 1, quorum: 1, password: 'node-pass', sentinelPassword: 'sentinel-pass' });
    const anonymous = new Redis({ sentinels: setup.sentinels, name: setup.masterName, lazyConnect: true, retryStrategy: () => null, sentinelRetryStrategy: () => null });
    anonymous.on('error', () => undefined);
    await expect(anonymous.connect()).rejects.toThrow();
    anonymous.disconnect();
    const client = new Redis({ sentinels: setup.sentinels, name: setup.masterName, password: 'node-pass', sentinelPassword: 'sentinel-pass', lazyConnect: true });
    client.on('error', () => undefined);
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });
});
