import autocannon from 'autocannon';
import type { Stack } from '../../stack/stack';
import { sessionRequests } from '../auth/load';
import { processAlive } from '@tools/test-harness';
import { backendStats, type ServerStat } from './haproxyAdmin';
import { useInstances, type LoadOptions } from './throughput';

export interface KillUnderLoad {
  killed: string;
  /** SIGKILL (a crash) or SIGTERM (a drained stop: readiness answers draining first, see lifecycle.ts). */
  signal: 'SIGKILL' | 'SIGTERM';
  /** Requests completed and sent over the whole run (sent − completed were cut off at the end). */
  requests: number;
  sent: number;
  /** Answers that were not 2xx, by status, and socket errors/timeouts: the requests the kill failed. */
  non2xx: number;
  statusCodes: Record<string, number>;
  errors: number;
  /** From the signal to HAProxy showing the instance DOWN (it routes nothing new to it after that). */
  msUntilDown: number | null;
  /** From the signal until the process has exited (SIGTERM: the drain delay, then in-flight requests). */
  msUntilExit: number | null;
  /** HAProxy's own counters over the run: retries and redispatches of the backend, errors on the killed server. */
  retries: number;
  redispatches: number;
  killedConnectionErrors: number;
  killedResponseErrors: number;
}

const delta = (before: ServerStat[], after: ServerStat[], name: string, field: keyof Omit<ServerStat, 'name' | 'status'>) =>
  (after.find((s) => s.name === name)?.[field] ?? 0) - (before.find((s) => s.name === name)?.[field] ?? 0);


export interface KillOptions extends LoadOptions {
  killAfterSeconds: number;
  /** @default 'SIGKILL' */
  signal?: 'SIGKILL' | 'SIGTERM';
  /** Instances in rotation; the last of them is stopped. @default all */
  instances?: number;
}

/**
 * `instances` in rotation, closed-loop get-session through HAProxy for `durationSeconds`; the
 * last of them gets `signal` `killAfterSeconds` in (a schedule, not a wait for an answer), and
 * HAProxy's view of it is polled until it is DOWN, the process until it has exited.
 */
export async function killUnderLoad(stack: Stack, tokens: string[], options: KillOptions): Promise<KillUnderLoad> {
  const signal = options.signal ?? 'SIGKILL';
  const names = await useInstances(stack, options.instances ?? stack.appUrls.length);
  const killed = names[names.length - 1];
  const pid = stack.pieces.find((p) => p.name === killed)!.pid;
  const before = await backendStats(stack.adminSocket);
  const load = autocannon({ url: stack.url, connections: options.connections, duration: options.durationSeconds, timeout: 10, requests: sessionRequests(tokens) });
  await new Promise((resolve) => setTimeout(resolve, options.killAfterSeconds * 1000));
  const killedAt = performance.now();
  process.kill(pid, signal);
  let msUntilDown: number | null = null;
  let msUntilExit: number | null = null;
  while (performance.now() - killedAt < 30_000 && (msUntilDown === null || msUntilExit === null)) {
    if (msUntilDown === null) {
      const status = (await backendStats(stack.adminSocket)).find((s) => s.name === killed)?.status ?? '';
      if (status.startsWith('DOWN') || status.startsWith('MAINT')) msUntilDown = performance.now() - killedAt;
    }
    if (msUntilExit === null && !processAlive(pid)) msUntilExit = performance.now() - killedAt;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const result = await load;
  const after = await backendStats(stack.adminSocket);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).filter(([code]) => !code.startsWith('2')).map(([code, s]) => [code, s.count]));
  return {
    killed,
    signal,
    requests: result.requests.total,
    sent: result.requests.sent,
    non2xx: result.non2xx,
    statusCodes,
    errors: result.errors + result.timeouts,
    msUntilDown,
    msUntilExit,
    retries: delta(before, after, 'BACKEND', 'wretr'),
    redispatches: delta(before, after, 'BACKEND', 'wredis'),
    killedConnectionErrors: delta(before, after, killed, 'econ'),
    killedResponseErrors: delta(before, after, killed, 'eresp'),
  };
}
