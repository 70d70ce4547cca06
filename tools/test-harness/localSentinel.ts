import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { LocalRedis } from './localRedis';
import { findBinary, requireBinary } from './requireBinary';
import { freePort, waitFor } from './ports';

export interface SentinelAddress {
  host: string;
  port: number;
}

export interface RedisSentinelOptions {
  /** The name the Sentinels monitor the master under. @default 'mymaster' */
  masterName?: string;
  /** Replicas of the master (each a promotion candidate). @default 1 */
  replicas?: number;
  /** Sentinel processes. @default 3 */
  sentinels?: number;
  /** Sentinels that must agree the master is down. @default 2 */
  quorum?: number;
  /** Silence after which a Sentinel thinks the master is down. @default 1_000 */
  downAfterMs?: number;
  /** Sentinel's failover-timeout (also the pause before the same master is failed over again). @default 3_000 */
  failoverTimeoutMs?: number;
  /** `requirepass` / `masterauth` of the data nodes (Sentinel gets it as `auth-pass`). @default none */
  password?: string;
  /** `requirepass` of the Sentinels (and `sentinel-pass` between them). @default none */
  sentinelPassword?: string;
  /** Fixed ports: `nodes[0]` the master, then the replicas; one per Sentinel. @default free ports */
  ports?: { nodes?: number[]; sentinels?: number[] };
  /** Every process in its own process group (see `LocalRedisOptions.detached`). @default false */
  detached?: boolean;
}

export interface RedisSentinelSetup {
  masterName: string;
  /** Where clients find the Sentinels (ioredis `sentinels`). */
  sentinels: SentinelAddress[];
  /** Data nodes; `nodes[0]` starts as the master. */
  nodes: LocalRedis[];
  /** The Sentinel processes, in the order of `sentinels`. */
  sentinelServers: LocalRedis[];
  /** The Sentinels' config directory (`bap-sentinel-*` under os.tmpdir()), removed by `stop()`. */
  configDir: string;
  /** The master as the first answering Sentinel names it. */
  masterAddress(): Promise<SentinelAddress>;
  /** The data node that is the master now. */
  master(): Promise<LocalRedis>;
  /** SIGKILLs the current master; resolves with its address. */
  killMaster(): Promise<SentinelAddress>;
  /** SIGSTOPs the current master (connections stay open, nothing answers); `thaw()` it or `stop()`. */
  freezeMaster(): Promise<LocalRedis>;
  /**
   * Resolves with the new master once every live Sentinel names a master other than `from` and
   * that node answers ROLE as master.
   */
  waitForFailover(from: SentinelAddress, timeoutMs?: number): Promise<SentinelAddress>;
  /** Kills every process (by PID) and removes the config directory. */
  stop(): Promise<void>;
}

const DEFAULTS = { masterName: 'mymaster', replicas: 1, sentinels: 3, quorum: 2, downAfterMs: 1_000, failoverTimeoutMs: 3_000 };

/** redis-sentinel on PATH, else redis-server in `--sentinel` mode. */
function sentinelCommand(server: string): { binary: string; args: string[] } {
  const sentinel = findBinary('redis-sentinel');
  return sentinel ? { binary: sentinel, args: [] } : { binary: server, args: ['--sentinel'] };
}

/** One short-lived control connection: never retries, never queues, always closed. */
async function ask<T>(address: SentinelAddress, password: string | undefined, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ ...address, password, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1_000, commandTimeout: 1_000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

const sameAddress = (a: SentinelAddress, b: SentinelAddress) => a.host === b.host && a.port === b.port;

/**
 * A Redis master, its replicas and a quorum of Sentinels on free loopback ports, for failover
 * tests and the local stack: Sentinel's short timings let a failover finish in a few seconds.
 * Config files live in a fresh directory under os.tmpdir() (Sentinel rewrites its own).
 * Resolves once every Sentinel sees the replicas in sync and each other (`SENTINEL CKQUORUM`).
 */
export async function startRedisWithSentinel(options: RedisSentinelOptions = {}): Promise<RedisSentinelSetup> {
  const opts = { ...DEFAULTS, ...options };
  const server = requireBinary('redis-server');
  const sentinelBinary = sentinelCommand(server);
  const dir = mkdtempSync(join(tmpdir(), 'bap-sentinel-'));
  const nodes: LocalRedis[] = [];
  const sentinelServers: LocalRedis[] = [];
  const auth = opts.password ? ['--requirepass', opts.password, '--masterauth', opts.password] : [];
  const stop = async () => {
    for (const process of [...sentinelServers, ...nodes]) await process.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const detached = opts.detached ?? false;
    nodes.push(await LocalRedis.create(server, { port: opts.ports?.nodes?.[0], args: auth, detached }));
    const masterPort = nodes[0].port;
    for (let i = 0; i < opts.replicas; i++) {
      nodes.push(await LocalRedis.create(server, { port: opts.ports?.nodes?.[i + 1], args: [...auth, '--replicaof', '127.0.0.1', String(masterPort)], detached }));
    }
    for (let i = 0; i < opts.sentinels; i++) {
      const port = opts.ports?.sentinels?.[i] ?? (await freePort());
      const file = join(dir, `sentinel-${port}.conf`);
      const lines = [
        `dir ${dir}`,
        `sentinel monitor ${opts.masterName} 127.0.0.1 ${masterPort} ${opts.quorum}`,
        `sentinel down-after-milliseconds ${opts.masterName} ${opts.downAfterMs}`,
        `sentinel failover-timeout ${opts.masterName} ${opts.failoverTimeoutMs}`,
        `sentinel parallel-syncs ${opts.masterName} 1`,
        ...(opts.password ? [`sentinel auth-pass ${opts.masterName} ${opts.password}`] : []),
        ...(opts.sentinelPassword ? [`requirepass ${opts.sentinelPassword}`, `sentinel sentinel-pass ${opts.sentinelPassword}`] : []),
      ];
      writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
      sentinelServers.push(await LocalRedis.create(sentinelBinary.binary, { port, configFile: file, args: sentinelBinary.args, detached }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const sentinels = sentinelServers.map((s) => ({ host: '127.0.0.1', port: s.port }));
  const askSentinel = <T>(address: SentinelAddress, fn: (redis: Redis) => Promise<T>) => ask(address, opts.sentinelPassword, fn);
  const masterOf = (address: SentinelAddress) =>
    askSentinel(address, async (redis) => {
      const [host, port] = (await redis.call('SENTINEL', 'get-master-addr-by-name', opts.masterName)) as [string, string];
      return { host, port: Number(port) };
    });
  const liveSentinels = () => sentinels.filter((_, i) => sentinelServers[i].running);

  const masterAddress = async (): Promise<SentinelAddress> => {
    let lastError: unknown;
    for (const address of liveSentinels()) {
      try {
        return await masterOf(address);
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`no Sentinel answered: ${String(lastError)}`);
  };
  const master = async (): Promise<LocalRedis> => {
    const { port } = await masterAddress();
    const node = nodes.find((n) => n.port === port);
    if (!node) throw new Error(`the Sentinels name a master on port ${port}, which is not one of ours`);
    return node;
  };

  try {
    await waitFor(
      () =>
        Promise.all(
          sentinels.map((address) =>
            askSentinel(address, async (redis) => {
              await redis.call('SENTINEL', 'CKQUORUM', opts.masterName);
              const replicas = (await redis.call('SENTINEL', 'REPLICAS', opts.masterName)) as string[][];
              const synced = replicas.filter((fields) => fields[fields.indexOf('master-link-status') + 1] === 'ok' && !fields[fields.indexOf('flags') + 1].includes('down'));
              if (synced.length < opts.replicas) throw new Error(`${synced.length}/${opts.replicas} replicas in sync`);
              const peers = (await redis.call('SENTINEL', 'SENTINELS', opts.masterName)) as unknown[];
              if (peers.length < opts.sentinels - 1) throw new Error(`${peers.length + 1}/${opts.sentinels} Sentinels know each other`);
            }),
          ),
        ),
      30_000,
      'Redis Sentinel quorum',
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    masterName: opts.masterName,
    sentinels,
    nodes,
    sentinelServers,
    configDir: dir,
    masterAddress,
    master,
    async killMaster() {
      const node = await master();
      await node.stop();
      return { host: '127.0.0.1', port: node.port };
    },
    async freezeMaster() {
      const node = await master();
      node.freeze();
      return node;
    },
    async waitForFailover(from, timeoutMs = 30_000) {
      let promoted: SentinelAddress | undefined;
      await waitFor(
        async () => {
          const named = await Promise.all(liveSentinels().map(masterOf));
          const next = named[0];
          if (!next || named.some((address) => sameAddress(address, from) || !sameAddress(address, next))) throw new Error(`Sentinels name ${JSON.stringify(named)}`);
          const role = await ask(next, opts.password, (redis) => redis.call('ROLE') as Promise<unknown[]>);
          if (role[0] !== 'master') throw new Error(`${next.port} is still ${String(role[0])}`);
          promoted = next;
        },
        timeoutMs,
        `a failover away from ${from.host}:${from.port}`,
      );
      return promoted!;
    },
    stop,
  };
}
