import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { TIMED_OUT, waitAtMost } from './waitAtMost';

export interface Closer {
  name: string;
  close(): Promise<void>;
}

export interface GracefulShutdown {
  /** True once a signal arrived: readiness fails so load balancers move traffic away. */
  readonly draining: boolean;
  /** Stops accepting, drains in-flight requests, then closes each resource in order. */
  shutdown(reason: string): Promise<void>;
}

/** Bounds of `closeApp`; every step ends, whatever a peer or a dependency does. */
export interface CloseOptions {
  log: FastifyBaseLogger;
  /**
   * How long in-flight requests may finish before every remaining socket is closed (a keep-alive
   * client that keeps sending, a request stuck on a dependency). @default 5_000
   */
  drainGraceMs?: number;
  /** The longest one closer may take; past it, it is logged by name and the next one runs. @default 3_000 */
  closerDeadlineMs?: number;
  /** A closer (or the drain) slower than this is logged at warn, by name. @default 1_000 */
  slowMs?: number;
}

export interface CloseStep {
  name: string;
  ms: number;
  outcome: 'closed' | 'failed' | 'timed out';
}

export interface CloseReport {
  /** True when any step failed or passed its deadline. */
  failed: boolean;
  /** The server drain first (`http server`), then each closer in order. */
  steps: CloseStep[];
}

export const DEFAULT_CLOSE_OPTIONS = { drainGraceMs: 5_000, closerDeadlineMs: 3_000, slowMs: 1_000 } as const;

/** Runs `step` with a deadline (its work may go on; we stop waiting), timing it. */
async function timed(name: string, deadlineMs: number, step: () => Promise<void>): Promise<CloseStep & { error?: unknown }> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const outcome = (await waitAtMost(step(), deadlineMs)) === TIMED_OUT ? 'timed out' : 'closed';
    return { name, ms: ms(), outcome };
  } catch (error) {
    return { name, ms: ms(), outcome: 'failed', error };
  }
}

/**
 * The one close sequence (SIGTERM in `main.ts`, `testApp.close()`): stop accepting and drain
 * in-flight requests — sweeping keep-alive sockets as they go idle, then closing every socket
 * still open after `drainGraceMs` — and close each resource in order, each within
 * `closerDeadlineMs`. Slow, failed and timed-out steps are logged by name; nothing throws.
 */
export async function closeApp(app: FastifyInstance, closers: Closer[], options: CloseOptions): Promise<CloseReport> {
  const { log, drainGraceMs, closerDeadlineMs, slowMs } = { ...DEFAULT_CLOSE_OPTIONS, ...options };
  const steps: CloseStep[] = [];
  let failed = false;
  const record = (step: CloseStep & { error?: unknown }) => {
    steps.push({ name: step.name, ms: step.ms, outcome: step.outcome });
    if (step.outcome === 'failed') log.error({ err: step.error, resource: step.name, ms: step.ms }, 'closing a resource failed');
    else if (step.outcome === 'timed out') log.error({ resource: step.name, ms: step.ms }, 'closing a resource passed its deadline; going on without it');
    else if (step.ms > slowMs) log.warn({ resource: step.name, ms: step.ms }, 'closing a resource was slow');
    if (step.outcome !== 'closed') failed = true;
  };

  // Keep-alive connections that finish their last request during the drain would hold `close`
  // open until the client hangs up (Fastify's keepAliveTimeout is 72 s): sweep the idle ones
  // while we wait, and cut the rest once the grace period is over.
  const sweep = setInterval(() => app.server.closeIdleConnections?.(), 100);
  const cut = setTimeout(() => {
    log.warn({ drainGraceMs }, 'requests still open after the grace period: closing their connections');
    app.server.closeAllConnections?.();
  }, drainGraceMs);
  try {
    record(await timed('http server', drainGraceMs + closerDeadlineMs, () => app.close()));
  } finally {
    clearInterval(sweep);
    clearTimeout(cut);
  }
  for (const closer of closers) record(await timed(closer.name, closerDeadlineMs, () => closer.close()));
  return { failed, steps };
}

/**
 * SIGTERM/SIGINT: readiness fails, then `closeApp` (drain, then flush and close resources in the
 * given order: buffered usage first, pools, then embedded Postgres). The deadline forces the exit.
 */
export function gracefulShutdown(
  app: FastifyInstance,
  closers: Closer[],
  {
    log,
    deadlineMs = 10_000,
    exit = (code: number) => process.exit(code),
    ...bounds
  }: Omit<CloseOptions, 'log'> & { log: FastifyBaseLogger; deadlineMs?: number; exit?: (code: number) => void },
): GracefulShutdown {
  let draining = false;
  let done: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    if (done) return done;
    draining = true;
    log.info({ reason }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ deadlineMs }, 'shutdown deadline passed; exiting');
      exit(1);
    }, deadlineMs);
    timer.unref();
    done = (async () => {
      const report = await closeApp(app, closers, { log, ...bounds });
      clearTimeout(timer);
      log.info({ steps: report.steps }, 'shutdown complete');
      exit(report.failed ? 1 : 0);
    })();
    return done;
  };
  return {
    get draining() {
      return draining;
    },
    shutdown,
  };
}
