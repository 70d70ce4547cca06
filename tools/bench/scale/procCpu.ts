import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { childrenOf } from '../../stack/processes';

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, 100 on Linux/x86). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of one process in ms, or 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000;
  } catch {
    return 0;
  }
}

/** A named group of processes whose CPU is summed (Postgres: the postmaster and its backends). */
export interface CpuGroup {
  name: string;
  pids: () => number[];
}

export function withChildren(pid: number): () => number[] {
  return () => [pid, ...childrenOf(pid)];
}

export type CpuReading = Map<string, Map<number, number>>;

export function readCpu(groups: CpuGroup[]): CpuReading {
  return new Map(groups.map((g) => [g.name, new Map(g.pids().map((pid) => [pid, processCpuMs(pid)]))]));
}

/**
 * CPU ms each group used between two readings. A process seen only in the second reading counts
 * from zero (a backend forked in between: all of its time is in the window).
 */
export function cpuDelta(before: CpuReading, after: CpuReading): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, pids] of after) {
    let sum = 0;
    for (const [pid, ms] of pids) sum += ms - (before.get(name)?.get(pid) ?? 0);
    delta[name] = sum;
  }
  return delta;
}
