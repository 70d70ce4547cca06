import { readFileSync } from 'node:fs';
import { processCpuMs } from '../bench/scale/procCpu';

/** CPU used over a window: the server process, this process (the load generator), and the whole machine. */
export interface CpuWindow {
  wallMs: number;
  /** The server's utime + stime (/proc/<pid>/stat). */
  serverMs: number;
  /** This process's `process.cpuUsage()`: every client the scenario runs. */
  generatorMs: number;
  /** Busy share of all cores (/proc/stat: everything but idle and iowait), 0–1. */
  machineBusy: number | null;
  cores: number | null;
}

function machineTicks(): { busy: number; total: number; cores: number } | null {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const fields = (lines[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total, cores: lines.filter((l) => /^cpu\d/.test(l)).length };
  } catch {
    return null;
  }
}

/** Starts measuring; the returned function ends the window. */
export function startCpuWindow(serverPid: number | undefined): () => CpuWindow {
  const started = performance.now();
  const server = serverPid ? processCpuMs(serverPid) : 0;
  const own = process.cpuUsage();
  const machine = machineTicks();
  return () => {
    const ownDelta = process.cpuUsage(own);
    const after = machineTicks();
    return {
      wallMs: performance.now() - started,
      serverMs: serverPid ? processCpuMs(serverPid) - server : 0,
      generatorMs: (ownDelta.user + ownDelta.system) / 1_000,
      machineBusy: machine && after && after.total > machine.total ? (after.busy - machine.busy) / (after.total - machine.total) : null,
      cores: after?.cores ?? null,
    };
  };
}
