import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { requireBinary, waitFor } from '@tools/test-harness';
import { DEBIAN_PACKAGES } from './binaries';
import { childrenOf, isRunning, pidFile } from './processes';
import { stackStatus, startStack, stopStack, type Stack } from './stack';

interface Target {
  health: string;
  labels: { instance: string; job: string };
}

interface Ready {
  status: string;
  instance: string;
  dependencies: {
    replicas?: { healthy: boolean; required: boolean; replicas: { name: string; state: string }[] };
    cache?: { healthy: boolean; mode: string };
  };
}

const ALL_PIECES = ['app-1', 'app-2', 'haproxy', 'postgres', 'postgres-replica', 'prometheus', 'redis', 'redis-replica', 'sentinel-1', 'sentinel-2', 'sentinel-3'];

/**
 * `npm run stack` end to end in its default topology with two instances (Postgres primary +
 * streaming replica, Redis master + replica + three Sentinels): HAProxy reaches each instance,
 * each reads from the replica and reaches Redis through Sentinel, Prometheus scrapes each as up,
 * and stopping leaves no process, pid file, Postgres data or Sentinel config directory behind.
 * A machine without haproxy/prometheus/redis-server fails at once, naming the setup script.
 */
describe('npm run stack (2 instances, Postgres replica, Redis Sentinel, on loopback)', () => {
  const stackDir = mkdtempSync(join(tmpdir(), 'stack-test-'));
  let stack: Stack;

  beforeAll(async () => {
    for (const command of Object.keys(DEBIAN_PACKAGES)) requireBinary(command);
    stack = await startStack({ instances: 2, basePort: 'auto', stackDir, log: () => undefined });
  }, 240_000);

  afterAll(async () => {
    // stop(): stopStack and the SMTP server this process runs for the instances (else jest never exits).
    await stack?.stop().catch(() => undefined);
    await stopStack(stackDir).catch(() => undefined);
    rmSync(stackDir, { recursive: true, force: true });
  }, 60_000);

  it('HAProxy routes /health/ready to every instance', async () => {
    const seen = new Set<string>();
    await waitFor(async () => {
      const response = await fetch(`${stack.url}/health/ready`);
      const body = (await response.json()) as { status: string; instance: string };
      expect(response.status).toBe(200);
      seen.add(body.instance);
      if (seen.size < 2) throw new Error(`only ${[...seen].join(', ')} answered so far`);
    }, 20_000, 'both instances behind HAProxy');
    expect([...seen].sort()).toEqual(['app-1', 'app-2']);
    for (const [i, url] of stack.appUrls.entries()) {
      expect(await (await fetch(`${url}/health/live`)).json()).toEqual({ status: 'ok', instance: `app-${i + 1}` });
    }
  });

  it('every instance reads from the replica and reaches Redis through Sentinel', async () => {
    expect(stack.postgres.replicaUrls).toHaveLength(1);
    expect(stack.redis.sentinels).toHaveLength(3);
    const answers = new Map<string, Ready>();
    const last = new Map<string, Ready['dependencies']>();
    await waitFor(async () => {
      const body = (await (await fetch(`${stack.url}/health/ready`)).json()) as Ready;
      last.set(body.instance, body.dependencies);
      // The cache's L2 may still be connecting (or its breaker recovering from a slow start) when readiness is first 200.
      const replicaReady = body.dependencies.replicas?.replicas.every((r) => r.state === 'ready');
      if (replicaReady && body.dependencies.cache?.healthy) answers.set(body.instance, body);
      if (answers.size < 2) throw new Error(`replica ready and cache healthy on ${[...answers.keys()].join(', ') || 'none'} so far; last answers: ${JSON.stringify(Object.fromEntries(last))}`);
    }, 50_000, 'the replica ready and Redis reached on both instances');
    for (const body of answers.values()) {
      expect(body.status).toBe('ready');
      expect(body.dependencies.replicas).toMatchObject({ healthy: true, required: false });
      expect(body.dependencies.replicas?.replicas).toHaveLength(1);
      expect(body.dependencies.cache).toMatchObject({ healthy: true, mode: 'l1+l2' });
    }
    // The instances were given only the Sentinels: the master the Sentinels name holds their connections.
    const [host, port] = stack.redis.sentinels[0].split(':');
    const viaSentinel = new Redis({ sentinels: [{ host, port: Number(port) }], name: stack.redis.sentinelMaster, lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await viaSentinel.connect();
      expect((await viaSentinel.call('ROLE')) as unknown[]).toEqual(expect.arrayContaining(['master']));
      const clients = ((await viaSentinel.call('CLIENT', 'LIST')) as string).trim().split('\n');
      expect(clients.length).toBeGreaterThan(2);
    } finally {
      viaSentinel.disconnect();
    }
  });

  it('Prometheus scrapes every instance, and each is up', async () => {
    let targets: Target[] = [];
    await waitFor(async () => {
      const body = (await (await fetch(`${stack.prometheusUrl}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } };
      targets = body.data.activeTargets;
      if (targets.length !== 2 || targets.some((t) => t.health !== 'up')) throw new Error(JSON.stringify(targets.map((t) => [t.labels.instance, t.health])));
    }, 40_000, 'Prometheus targets up');
    expect(targets.map((t) => t.labels.instance).sort()).toEqual(stack.ports.apps.map((port) => `127.0.0.1:${port}`).sort());
    expect(new Set(targets.map((t) => t.labels.job))).toEqual(new Set(['auth-service']));
  });

  it('status lists every piece as running', () => {
    const status = stackStatus(stackDir);
    expect(status?.pieces.map((p) => [p.name, p.running]).sort()).toEqual(ALL_PIECES.map((name) => [name, true]));
  });

  it('stop leaves no process, pid file, Postgres data or Sentinel config behind', async () => {
    const postmasters = stack.pieces.filter((p) => p.name.startsWith('postgres'));
    const pids = [...stack.pieces.map((p) => p.pid), ...postmasters.flatMap((p) => childrenOf(p.pid))];
    expect(pids.every((pid) => isRunning(pid))).toBe(true);
    const cleanup = stack.pieces.flatMap((p) => p.cleanup ?? []);
    // Both data directories and the Sentinels' config directory.
    expect(cleanup.filter((path) => /bap-pg-|bap-sentinel-/.test(path))).toHaveLength(3);
    const stopped = await stopStack(stackDir);
    expect(stopped.sort()).toEqual(ALL_PIECES);
    expect(pids.filter((pid) => isRunning(pid))).toEqual([]);
    for (const piece of stack.pieces) expect(existsSync(pidFile(stackDir, piece.name))).toBe(false);
    for (const path of cleanup) expect(existsSync(path)).toBe(false);
    expect(stackStatus(stackDir)).toBeUndefined();
  }, 60_000);
});
