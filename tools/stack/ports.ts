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
  /** One per app instance. */
  apps: number[];
}

/** @default 7400 (`STACK_BASE_PORT`) */
export const DEFAULT_BASE_PORT = 7400;

/**
 * Offsets from the base port. +5…+9 are kept for the Postgres replicas and Redis Sentinel the
 * postgres and redis pieces will start once their launchers exist; apps start at +10.
 */
export const PORT_OFFSETS = { haproxy: 0, haproxyStats: 1, prometheus: 2, postgres: 3, redis: 4, firstApp: 10 } as const;

export function portsFromBase(base: number, instances: number): StackPorts {
  return {
    haproxy: base + PORT_OFFSETS.haproxy,
    haproxyStats: base + PORT_OFFSETS.haproxyStats,
    prometheus: base + PORT_OFFSETS.prometheus,
    postgres: base + PORT_OFFSETS.postgres,
    redis: base + PORT_OFFSETS.redis,
    apps: Array.from({ length: instances }, (_, i) => base + PORT_OFFSETS.firstApp + i),
  };
}

export function allPorts(ports: StackPorts): number[] {
  return [ports.haproxy, ports.haproxyStats, ports.prometheus, ports.postgres, ports.redis, ...ports.apps];
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The ports from `base`, each checked free; a busy one is a `PORT_BUSY` error naming it. */
export async function planPorts(base: number | 'auto', instances: number): Promise<StackPorts> {
  if (base === 'auto') {
    const pick = async (count: number) => {
      const ports = new Set<number>();
      while (ports.size < count) ports.add(await freePort());
      return [...ports];
    };
    const [haproxy, haproxyStats, prometheus, postgres, redis, ...apps] = await pick(5 + instances);
    return { haproxy, haproxyStats, prometheus, postgres, redis, apps };
  }
  if (!Number.isInteger(base) || base < 1_024 || base + PORT_OFFSETS.firstApp + instances > 65_535) {
    throw new StackError('PORT_BUSY', `STACK_BASE_PORT must be an integer from 1024 leaving room for ${PORT_OFFSETS.firstApp + instances} ports, not ${base}`);
  }
  const ports = portsFromBase(base, instances);
  for (const port of allPorts(ports)) {
    if (!(await isFree(port))) {
      throw new StackError('PORT_BUSY', `port ${port} on 127.0.0.1 is in use: stop what holds it or set STACK_BASE_PORT (now ${base})`);
    }
  }
  return ports;
}
