import type { ChildServer } from './childServer';
import type { StatementCounter } from './StatementCounter';

export interface IdleOptions {
  /** Gap between two readings. @default 250 */
  intervalMs?: number;
  /** Server CPU per interval below which it counts as idle. @default 5 */
  maxCpuMs?: number;
  /** Give up waiting (and measure anyway) after. @default 10_000 */
  timeoutMs?: number;
}

export const DEFAULT_IDLE_OPTIONS = { intervalMs: 250, maxCpuMs: 5, timeoutMs: 10_000 } as const;

/**
 * Waits until the server has finished the requests still in flight when autocannon stopped
 * (it cuts the sockets, the server completes the work): no CPU to speak of and no new
 * statements between two readings. Without it, one run's tail lands in the next window.
 * Returns false when it gave up.
 */
export async function waitUntilIdle(server: ChildServer, statements: StatementCounter | null, options: IdleOptions = {}): Promise<boolean> {
  const opts = { ...DEFAULT_IDLE_OPTIONS, ...options };
  const deadline = Date.now() + opts.timeoutMs;
  let cpu = await server.cpuUsage();
  let calls = (await statements?.totalCalls()) ?? 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, opts.intervalMs));
    const nextCpu = await server.cpuUsage();
    const nextCalls = (await statements?.totalCalls()) ?? 0;
    const cpuMs = (nextCpu.userMicros - cpu.userMicros + nextCpu.systemMicros - cpu.systemMicros) / 1000;
    if (cpuMs < opts.maxCpuMs && nextCalls === calls) return true;
    cpu = nextCpu;
    calls = nextCalls;
  }
  return false;
}
