import { createServer } from 'node:net';
import { freePort } from '@tools/test-harness';
import { StackError } from './StackError';

/** Every port the stack listens on (all on 127.0.0.1). */
export interface StackPorts {
  haproxy: number;
  haproxyStats: number;
  prometheus: number;
  postgres: number;
  redis: number;
  /** The Postgres streaming replica (`replicas: 1`). */
  postgresReplica?: number;
  /** The Redis replica (with Sentinel). */
  redisReplica?: number;
  /** The three Sentinels (with Sentinel). */
  sentinels?: number[];
  /** One per app instance. */
  apps: number[];
}

/** Which optional pieces get ports. */
export interface PortTopology {
  replicas: number;
  sentinel: boolean;
}

/** Sentinels the stack runs (a quorum of 2 out of 3, as in production). */
export const SENTINELS = 3;

/** @default 7400 (`STACK_BASE_PORT`) */
export const DEFAULT_BASE_PORT = 7400;

/** Offsets from the base port: +5 the Postgres replica, +6 the Redis replica, +7…+9 the Sentinels; apps start at +10. */
export const PORT_OFFSETS = { haproxy: 0, haproxyStats: 1, prometheus: 2, postgres: 3, redis: 4, postgresReplica: 5, redisReplica: 6, firstSentinel: 7, firstApp: 10 } as const;

function withTopology(ports: StackPorts, topology: PortTopology, next: () => number): StackPorts {
  if (topology.replicas > 0) ports.postgresReplica = next();
  if (topology.sentinel) {
    ports.redisReplica = next();
    ports.sentinels = Array.from({ length: SENTINELS }, next);
  }
  return ports;
}

export function portsFromBase(base: number, instances: number, topology: PortTopology = { replicas: 0, sentinel: false }): StackPorts {
  const ports: StackPorts = {
    haproxy: base + PORT_OFFSETS.haproxy,
    haproxyStats: base + PORT_OFFSETS.haproxyStats,
    prometheus: base + PORT_OFFSETS.prometheus,
    postgres: base + PORT_OFFSETS.postgres,
    redis: base + PORT_OFFSETS.redis,
    apps: Array.from({ length: instances }, (_, i) => base + PORT_OFFSETS.firstApp + i),
  };
  if (topology.replicas > 0) ports.postgresReplica = base + PORT_OFFSETS.postgresReplica;
  if (topology.sentinel) {
    ports.redisReplica = base + PORT_OFFSETS.redisReplica;
    ports.sentinels = Array.from({ length: SENTINELS }, (_, i) => base + PORT_OFFSETS.firstSentinel + i);
  }
  return ports;
}

export function allPorts(ports: StackPorts): number[] {
  const optional = [ports.postgresReplica, ports.redisReplica, ...(ports.sentinels ?? [])].filter((p): p is number => p !== undefined);
  return [ports.haproxy, ports.haproxyStats, ports.prometheus, ports.postgres, ports.redis, ...optional, ...ports.apps];
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The ports from `base`, each checked free; a busy one is a `PORT_BUSY` error naming it. */
export async function planPorts(base: number | 'auto', instances: number, topology: PortTopology = { replicas: 0, sentinel: false }): Promise<StackPorts> {
  if (base === 'auto') {
    const picked = new Set<number>();
    while (picked.size < 5 + instances + 1 + 1 + SENTINELS) picked.add(await freePort());
    const [haproxy, haproxyStats, prometheus, postgres, redis, ...rest] = [...picked];
    const apps = rest.splice(0, instances);
    return withTopology({ haproxy, haproxyStats, prometheus, postgres, redis, apps }, topology, () => rest.shift()!);
  }
  if (!Number.isInteger(base) || base < 1_024 || base + PORT_OFFSETS.firstApp + instances > 65_535) {
    throw new StackError('PORT_BUSY', `STACK_BASE_PORT must be an integer from 1024 leaving room for ${PORT_OFFSETS.firstApp + instances} ports, not ${base}`);
  }
  const ports = portsFromBase(base, instances, topology);
  for (const port of allPorts(ports)) {
    if (!(await isFree(port))) {
      throw new StackError('PORT_BUSY', `port ${port} on 127.0.0.1 is in use: stop what holds it or set STACK_BASE_PORT (now ${base})`);
    }
  }
  return ports;
}
