import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisCommand, startRedisWithSentinel, waitFor } from '@tools/test-harness';
import { debianBinary } from '../binaries';
import { spawnDaemon, stopPiece, type RunningPiece } from '../processes';
import { StackError } from '../StackError';

export interface RedisPieceOptions {
  port: number;
  stackDir: string;
  repoRoot: string;
  /**
   * A replica and three Sentinels (quorum 2) next to the master (`startRedisWithSentinel()` of the
   * test harness); the app then gets `REDIS_SENTINELS` and `REDIS_SENTINEL_MASTER`. @default false
   */
  sentinel?: boolean;
  /** With `sentinel`: the replica's port and one per Sentinel. */
  replicaPort?: number;
  sentinelPorts?: number[];
  log?: (line: string) => void;
}

export interface RedisEndpoints {
  /** `REDIS_URL`. */
  url: string;
  /** `host:port` of each Sentinel (`REDIS_SENTINELS`); empty without Sentinel. */
  sentinels: string[];
  /** `REDIS_SENTINEL_MASTER`; undefined without Sentinel. */
  sentinelMaster?: string;
}

export interface RedisPiece extends RedisEndpoints {
  pieces: RunningPiece[];
}

export const SENTINEL_MASTER = 'mymaster';

/** `down-after-milliseconds` and `failover-timeout` of `deploy/redis/sentinel.conf`: the stack's Sentinels time a failover as the deployment's do. */
export function deploySentinelTimings(repoRoot: string): { downAfterMs: number; failoverTimeoutMs: number } {
  const conf = readFileSync(join(repoRoot, 'deploy', 'redis', 'sentinel.conf'), 'utf8');
  const setting = (name: string) => {
    const match = new RegExp(`^sentinel ${name} \\S+ (\\d+)$`, 'm').exec(conf);
    if (!match) throw new StackError('UNSUPPORTED_OPTION', `deploy/redis/sentinel.conf has no "sentinel ${name}" line`);
    return Number(match[1]);
  };
  return { downAfterMs: setting('down-after-milliseconds'), failoverTimeoutMs: setting('failover-timeout') };
}

/**
 * The master, its replica and three Sentinels, each recorded by pid (the launcher keeps its
 * handles in memory only, so `npm run stack -- stop` from another shell needs them in stack.json).
 * Sentinels stop first, the master last; the Sentinels' config directory goes with the master.
 */
async function startWithSentinel(options: RedisPieceOptions): Promise<RedisPiece> {
  const setup = await startRedisWithSentinel({
    masterName: SENTINEL_MASTER,
    replicas: 1,
    sentinels: options.sentinelPorts?.length ?? 3,
    quorum: 2,
    ...deploySentinelTimings(options.repoRoot),
    ports: { nodes: [options.port, ...(options.replicaPort === undefined ? [] : [options.replicaPort])], sentinels: options.sentinelPorts },
    detached: true,
  });
  // The launcher discards their output (stdio ignored): there is no log file to name.
  const log = 'none';
  const [master, replica] = setup.nodes;
  const node = (name: string, redis: typeof master, cleanup?: string[]): RunningPiece => ({
    name,
    pid: redis.pid!,
    url: redis.url,
    log,
    stopSignal: 'SIGTERM',
    commandMatch: 'redis-server',
    cleanup,
  });
  const pieces: RunningPiece[] = [
    node('redis', master, [setup.configDir]),
    node('redis-replica', replica),
    ...setup.sentinelServers.map((s, i) => ({ name: `sentinel-${i + 1}`, pid: s.pid!, url: `redis://127.0.0.1:${s.port}`, log, stopSignal: 'SIGTERM' as const, commandMatch: 'sentinel' })),
  ];
  return { pieces, url: master.url, sentinels: setup.sentinels.map((s) => `${s.host}:${s.port}`), sentinelMaster: setup.masterName };
}

/** One redis-server on loopback, no persistence (cache, invalidation bus, rate limits, locks); with `sentinel`, a replica and three Sentinels too. */
export async function startRedis(options: RedisPieceOptions): Promise<RedisPiece> {
  if (options.sentinel) return startWithSentinel(options);
  const binary = debianBinary('redis-server');
  const args = ['--port', String(options.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  const { pid, log } = spawnDaemon({ name: 'redis', command: binary, args, stackDir: options.stackDir, env: { PATH: process.env.PATH } });
  const piece: RunningPiece = { name: 'redis', pid, url: `redis://127.0.0.1:${options.port}`, log, stopSignal: 'SIGTERM', commandMatch: 'redis-server' };
  try {
    await waitFor(async () => {
      if ((await redisCommand(options.port, 'PING')) !== '+PONG') throw new Error('no PONG');
    }, 15_000, `redis-server on port ${options.port}`);
  } catch (error) {
    await stopPiece(options.stackDir, piece);
    throw new StackError('NOT_READY', `redis did not start (see ${log})`, { cause: error });
  }
  return { pieces: [piece], url: piece.url, sentinels: [] };
}
