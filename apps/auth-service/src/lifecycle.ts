import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

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

/**
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish (Fastify's `close`), then flush
 * and close resources in the given order (buffered usage first, pools, then embedded Postgres).
 * A second signal or the deadline forces the exit.
 */
export function gracefulShutdown(
  app: FastifyInstance,
  closers: Closer[],
  { log, deadlineMs = 10_000, exit = (code: number) => process.exit(code) }: { log: FastifyBaseLogger; deadlineMs?: number; exit?: (code: number) => void },
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
      let failed = false;
      // Keep-alive connections that finish their last request during the drain would hold
      // `close` open until the client hangs up: sweep the idle ones while we wait.
      const sweep = setInterval(() => app.server.closeIdleConnections?.(), 100);
      try {
        await app.close();
      } catch (error) {
        failed = true;
        log.error({ err: error }, 'closing the server failed');
      } finally {
        clearInterval(sweep);
      }
      for (const closer of closers) {
        try {
          await closer.close();
        } catch (error) {
          failed = true;
          log.error({ err: error, resource: closer.name }, 'closing a resource failed');
        }
      }
      clearTimeout(timer);
      log.info('shutdown complete');
      exit(failed ? 1 : 0);
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
