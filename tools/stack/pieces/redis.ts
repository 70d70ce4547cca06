import { redisCommand, waitFor } from '@tools/test-harness';
import { debianBinary } from '../binaries';
import { spawnDaemon, stopPiece, type RunningPiece } from '../processes';
import { StackError } from '../StackError';

export interface RedisPieceOptions {
  port: number;
  stackDir: string;
  /**
   * Redis Sentinel in front of the master. Only false for now: the Sentinel launcher
   * (`startRedisWithSentinel()` in tools/test-harness) lands separately and this piece switches
   * to it; the app then gets `REDIS_SENTINELS` and `REDIS_SENTINEL_MASTER`. @default false
   */
  sentinel?: boolean;
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

/** One redis-server on loopback, no persistence (cache, invalidation bus, rate limits, locks). */
export async function startRedis(options: RedisPieceOptions): Promise<RedisPiece> {
  if (options.sentinel) throw new StackError('UNSUPPORTED_OPTION', 'sentinel: true — the stack starts no Redis Sentinel yet (only sentinel: false)');
  const binary = debianBinary('redis-server', options.log);
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
