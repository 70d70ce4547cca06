import { Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../client/options';

/** One Sentinel's address. */
export interface RedisHostPort {
  host: string;
  port: number;
}

/** A standalone Redis by URL (`redis://` or `rediss://`). */
export interface RedisUrlEndpoint {
  url: string;
  /** Used when the URL carries no password (a password in the URL wins). @default none */
  password?: string;
}

/** A Redis master found through Sentinel; clients follow it across failovers. */
export interface RedisSentinelEndpoint {
  sentinels: RedisHostPort[];
  /** The name the Sentinels monitor the master under. @default 'mymaster' */
  masterName?: string;
  /** Password of the master and its replicas. @default none */
  password?: string;
  /** Password of the Sentinels themselves. @default none */
  sentinelPassword?: string;
}

/** Where Redis is: a URL (string or object) or Sentinel settings. Every connection is built from one. */
export type RedisEndpoint = string | RedisUrlEndpoint | RedisSentinelEndpoint;

export const DEFAULT_SENTINEL_MASTER = 'mymaster';

export function isRedisEndpoint(value: unknown): value is RedisEndpoint {
  if (typeof value === 'string') return true;
  if (value === null || typeof value !== 'object' || value instanceof Redis) return false;
  return typeof (value as RedisUrlEndpoint).url === 'string' || Array.isArray((value as RedisSentinelEndpoint).sentinels);
}

/**
 * A write that reached a replica (`READONLY`: a demoted master, or a connection made just before a
 * failover) was not executed: reconnect, which asks the Sentinels for the master again, and resend
 * it (2). A connection without an offline queue fails that resend at once instead of waiting, and
 * its caller treats it as a transient error.
 */
export function reconnectOnReadOnly(error: Error): 2 | false {
  return error.message.startsWith('READONLY') ? 2 : false;
}

/**
 * The longest wait between two reconnect attempts of a connection to Redis. What a peer missed
 * while Redis was away is only dropped once its subscriber is connected again, so this wait is
 * how long a stale entry can outlive Redis' return; a refused attempt on a loopback or LAN
 * address costs one TCP handshake.
 */
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 500;

/** ioredis `retryStrategy` of every connection: 100, 200, 400 ms, then every `DEFAULT_RECONNECT_MAX_DELAY_MS`. */
export const reconnectDelayMs = (times: number): number => Math.min(50 * 2 ** Math.min(times, 6), DEFAULT_RECONNECT_MAX_DELAY_MS);

const sentinelRetryStrategy = (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000);

/**
 * A connection waiting this long for any reply is torn down and reconnected (for Sentinel: the
 * master is asked for again). A frozen master never closes its sockets, so without it a client
 * would wait on it until TCP gives up. ioredis' own `failoverDetector` is not used: a
 * `+switch-master` that arrives while the client is reconnecting ends the client for good
 * (status 'end', measured here with ioredis 5.9).
 */
export const DEFAULT_SOCKET_TIMEOUT_MS = 2_000;

/**
 * ioredis options for `endpoint` with one connection's own tuning (offline queue, retries,
 * timeouts). What every connection needs to survive a failover or a restart is set here, once:
 * READONLY reconnects, the socket timeout and the reconnect schedule (`reconnectDelayMs`). A URL
 * is not part of the options: pass it to `new Redis(url, options)`, or use `createRedisClient`.
 */
export function redisClientOptions(endpoint: RedisEndpoint, tuning: RedisOptions = {}): RedisOptions {
  const failover: RedisOptions = { reconnectOnError: reconnectOnReadOnly, socketTimeout: DEFAULT_SOCKET_TIMEOUT_MS, retryStrategy: reconnectDelayMs };
  if (typeof endpoint === 'string' || 'url' in endpoint) {
    const password = typeof endpoint === 'string' ? undefined : endpoint.password;
    return { ...failover, ...tuning, ...(password ? { password } : {}) };
  }
  return {
    ...failover,
    ...tuning,
    sentinels: endpoint.sentinels.map(({ host, port }) => ({ host, port })),
    name: endpoint.masterName ?? DEFAULT_SENTINEL_MASTER,
    role: 'master',
    password: endpoint.password,
    sentinelPassword: endpoint.sentinelPassword,
    sentinelRetryStrategy,
  };
}

/** A new ioredis client for `endpoint`; `tuning` is the connection's own (see `redisClientOptions`). */
export function createRedisClient(endpoint: RedisEndpoint, tuning: RedisOptions = {}): Redis {
  const options = redisClientOptions(endpoint, tuning);
  if (typeof endpoint === 'string') return new Redis(endpoint, options);
  return 'url' in endpoint ? new Redis(endpoint.url, options) : new Redis(options);
}

/** For logs: the endpoint without any password. */
export function describeRedisEndpoint(endpoint: RedisEndpoint): string {
  if (typeof endpoint === 'string') return redactUrl(endpoint);
  if ('url' in endpoint) return redactUrl(endpoint.url);
  const sentinels = endpoint.sentinels.map(({ host, port }) => `${host}:${port}`).join(',');
  return `sentinel://${endpoint.masterName ?? DEFAULT_SENTINEL_MASTER}@${sentinels}`;
}

/** A stable name of what a client talks to (breaker keys): `sentinel:<master>` or `<host>:<port>`. */
export function redisTargetOf(client: Redis): string {
  const { sentinels, name, host, port } = client.options;
  if (sentinels?.length) return `sentinel:${name ?? DEFAULT_SENTINEL_MASTER}`;
  return `${host ?? 'localhost'}:${port ?? 6379}`;
}

/**
 * Parses `host:port,host:port` (REDIS_SENTINELS). Throws a message naming the bad entry.
 * IPv6 hosts go in brackets: `[::1]:26379`.
 */
export function parseRedisHostPorts(list: string): RedisHostPort[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(entry);
      const port = match ? Number(match[2]) : 0;
      if (!match || port < 1 || port > 65_535) throw new Error(`"${entry.slice(0, 64)}" is not host:port`);
      return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
    });
}
