import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { z } from 'zod';
import { emptyAsUndefined } from './configFields';
import { TIMED_OUT, waitAtMost } from './waitAtMost';

export const shutdownConfigShape = {
  /**
   * After SIGTERM, how long the server keeps serving while `/health/ready` answers 503 `draining`,
   * before it stops accepting: long enough for load balancers to take the instance out (HAProxy in
   * deploy/: `inter 2s fall 2` = 4 s; Kubernetes: the endpoint update). SIGINT and a second signal
   * skip it. Unset: 5 000 with NODE_ENV=production, 0 otherwise.
   */
  SHUTDOWN_DRAIN_DELAY_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(300_000).optional()),
  /** The whole shutdown, delay included; past it the process exits 1. Unset: the delay + 10 000. */
  SHUTDOWN_DEADLINE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1_000).max(600_000).optional()),
};

/** The drain delay and the deadline that `main.ts` gives `gracefulShutdown`, from the configuration. */
export function shutdownTimings(config: { NODE_ENV: string; SHUTDOWN_DRAIN_DELAY_MS?: number; SHUTDOWN_DEADLINE_MS?: number }): { drainDelayMs: number; deadlineMs: number } {
  const drainDelayMs = config.SHUTDOWN_DRAIN_DELAY_MS ?? (config.NODE_ENV === 'production' ? 5_000 : 0);
  return { drainDelayMs, deadlineMs: config.SHUTDOWN_DEADLINE_MS ?? drainDelayMs + 10_000 };
}

export interface Closer {
  name: string;
  close(): Promise<void>;
}

export interface GracefulShutdown {
  /** True once a signal arrived: readiness fails so load balancers move traffic away. */
  readonly draining: boolean;
  /**
   * Fails readiness, waits the drain delay (still serving), then stops accepting, drains in-flight
   * requests and closes each resource in order. A second call during the delay ends the delay;
   * `skipDelay` (SIGINT: a person at a terminal) never waits it.
   */
  shutdown(reason: string, options?: { skipDelay?: boolean }): Promise<void>;
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
 * SIGTERM/SIGINT: readiness fails at once; after `drainDelayMs` (load balancers see `draining` and
 * move traffic away while requests are still served), `closeApp` (drain, then flush and close
 * resources in the given order: buffered usage first, pools, then embedded Postgres). The
 * deadline, counted from the signal, forces the exit.
 */
export function gracefulShutdown(
  app: FastifyInstance,
  closers: Closer[],
  {
    log,
    drainDelayMs = 0,
    deadlineMs = drainDelayMs + 10_000,
    exit = (code: number) => process.exit(code),
    ...bounds
  }: Omit<CloseOptions, 'log'> & { log: FastifyBaseLogger; drainDelayMs?: number; deadlineMs?: number; exit?: (code: number) => void },
): GracefulShutdown {
  let draining = false;
  let done: Promise<void> | undefined;
  let endDelay: (() => void) | undefined;
  const shutdown = (reason: string, { skipDelay = false }: { skipDelay?: boolean } = {}): Promise<void> => {
    if (done) {
      if (endDelay) log.info({ reason }, 'second signal: ending the drain delay');
      endDelay?.();
      return done;
    }
    draining = true;
    const delayMs = skipDelay ? 0 : drainDelayMs;
    log.info({ reason, drainDelayMs: delayMs }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ deadlineMs }, 'shutdown deadline passed; exiting');
      exit(1);
    }, deadlineMs);
    timer.unref();
    done = (async () => {
      if (delayMs > 0) {
        await new Promise<void>((resolve) => {
          const delay = setTimeout(resolve, delayMs);
          endDelay = () => {
            clearTimeout(delay);
            resolve();
          };
        });
        endDelay = undefined;
      }
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
