import type { ChildServer } from '../../bench/auth/childServer';
import type { ChaosEnvironment } from '../environment';

/** Postgres comes up this long after the server was started. */
export const START_WHILE_DOWN_DELAY_MS = 10_000;
/** How long the runner waits for readiness after Postgres is back before calling it a miss. */
const READY_DEADLINE_MS = 30_000;

export interface StartWhileDownRun {
  server: 'ours' | 'stock';
  /** The process answered HTTP while Postgres was down (it did not exit). */
  startedWithoutDatabase: boolean;
  /** /health/live and /health/ready answers seen while Postgres was down (ours). */
  liveWhileDown: number | null;
  readyWhileDown: number | null;
  /** get-session with a valid token while down: 503 expected. */
  getSessionWhileDown: number | null;
  /** From Postgres accepting connections to /health/ready 200, ms (null: never, within the deadline). */
  readyAfterMs: number | null;
  /** From Postgres back to the first get-session 200, ms. */
  servingAfterMs: number | null;
  /** Last lines the process wrote, when it did not start. */
  exit?: string;
}

const status = (url: string, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(2_000) }).then((r) => r.status).catch(() => 0);

async function until(probe: () => Promise<boolean>, deadlineMs: number): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < deadlineMs) {
    if (await probe()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

/**
 * Scenario 2: the server is started while Postgres is down and Postgres appears 10 s later. It
 * must stay up, say it is not ready, then become ready and serve — without a restart.
 */
export async function runStartWhileDown(env: ChaosEnvironment, server: 'ours' | 'stock'): Promise<StartWhileDownRun> {
  const token = env.users[0].token;
  await env.pg.stop();
  let process: ChildServer | undefined;
  try {
    try {
      // Any HTTP answer counts as started (stock has no health route).
      process = server === 'ours' ? await env.startOurs({}, { ready: { httpPath: '/health/live' } }) : await env.startStock();
    } catch (error) {
      await env.pg.start();
      return { server, startedWithoutDatabase: false, liveWhileDown: null, readyWhileDown: null, getSessionWhileDown: null, readyAfterMs: null, servingAfterMs: null, exit: (error as Error).message.split('\n').slice(-4).join(' | ') };
    }
    const url = process.url;
    const liveWhileDown = await status(`${url}/health/live`);
    const readyWhileDown = await status(`${url}/health/ready`);
    const getSessionWhileDown = await status(`${url}/api/auth/get-session`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((r) => setTimeout(r, START_WHILE_DOWN_DELAY_MS));
    await env.pg.start();
    const ready = server === 'ours' ? until(async () => (await status(`${url}/health/ready`)) === 200, READY_DEADLINE_MS) : Promise.resolve(null);
    const serving = until(async () => (await status(`${url}/api/auth/get-session`, { headers: { authorization: `Bearer ${token}` } })) === 200, READY_DEADLINE_MS);
    const [readyAfterMs, servingAfterMs] = await Promise.all([ready, serving]);
    return { server, startedWithoutDatabase: true, liveWhileDown, readyWhileDown, getSessionWhileDown, readyAfterMs, servingAfterMs };
  } finally {
    if (!env.pg.running) await env.pg.start();
    if (process) await env.stop(process);
  }
}
