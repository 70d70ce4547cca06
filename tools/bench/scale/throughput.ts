import { waitFor } from '@tools/test-harness';
import type { Stack } from '../../stack/stack';
import { runLoad, sessionRequests, type LoadResult } from '../auth/load';
import { backendStats, setServerState } from './haproxyAdmin';
import { cpuDelta, readCpu, withChildren, type CpuGroup } from './procCpu';

export interface LoadOptions {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface ThroughputRun extends LoadResult {
  instances: number;
  /** CPU ms used in the measured window per process group (app = all instances in rotation). */
  cpuMs: Record<string, number>;
  /** The benchmark process itself (autocannon), same window. */
  loadGeneratorCpuMs: number;
}

const pidOf = (stack: Stack, name: string) => stack.pieces.find((p) => p.name === name)!.pid;
const pidsOf = (stack: Stack, names: string[]) => stack.pieces.filter((p) => names.some((n) => p.name === n || p.name.startsWith(`${n}-`))).map((p) => p.pid);

/**
 * The process groups whose CPU is read: the instances in rotation, Postgres (primary and replica
 * with their backends), Redis (master, replica, Sentinels), HAProxy, Prometheus.
 */
export function cpuGroups(stack: Stack, appNames: string[]): CpuGroup[] {
  return [
    { name: 'app', pids: () => appNames.map((name) => pidOf(stack, name)) },
    { name: 'postgres', pids: () => pidsOf(stack, ['postgres']).flatMap((pid) => withChildren(pid)()) },
    { name: 'redis', pids: () => pidsOf(stack, ['redis', 'sentinel']) },
    { name: 'haproxy', pids: () => [pidOf(stack, 'haproxy')] },
    { name: 'prometheus', pids: () => [pidOf(stack, 'prometheus')] },
  ];
}

/** Puts the first `instances` app servers in rotation and the others in maintenance, and waits until HAProxy agrees. */
export async function useInstances(stack: Stack, instances: number): Promise<string[]> {
  const names = stack.appUrls.map((_, i) => `app-${i + 1}`);
  for (const [i, name] of names.entries()) await setServerState(stack.adminSocket, name, i < instances ? 'ready' : 'maint');
  await waitFor(async () => {
    const stats = await backendStats(stack.adminSocket);
    for (const [i, name] of names.entries()) {
      const status = stats.find((s) => s.name === name)?.status ?? '';
      if (i < instances ? !status.startsWith('UP') : !status.startsWith('MAINT')) throw new Error(`${name} is ${status}`);
    }
  }, 20_000, `${instances} instance(s) in rotation`);
  return names.slice(0, instances);
}

/** Closed-loop get-session through HAProxy with `instances` in rotation, and the CPU each piece spent on it. */
export async function measureThroughput(stack: Stack, tokens: string[], instances: number, options: LoadOptions): Promise<ThroughputRun> {
  const active = await useInstances(stack, instances);
  const requests = sessionRequests(tokens);
  await runLoad(stack.url, requests, options.connections, options.warmupSeconds);
  const groups = cpuGroups(stack, active);
  const before = readCpu(groups);
  const ownBefore = process.cpuUsage();
  const result = await runLoad(stack.url, requests, options.connections, options.durationSeconds);
  const own = process.cpuUsage(ownBefore);
  return { ...result, instances, cpuMs: cpuDelta(before, readCpu(groups)), loadGeneratorCpuMs: (own.user + own.system) / 1000 };
}
