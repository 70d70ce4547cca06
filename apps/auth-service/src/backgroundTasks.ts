import type { FastifyBaseLogger } from 'fastify';
import { withDetachedSpan } from '@libs/monitoring';
import { waitAtMost } from './waitAtMost';

/**
 * Work that must happen but need not delay the answer (audit events, last-login stamps). Failures
 * are logged, never thrown; `drain()` waits for what is in flight (shutdown, tests).
 */
export class BackgroundTasks {
  readonly #pending = new Set<Promise<void>>();
  readonly #logger: FastifyBaseLogger;

  constructor(logger: FastifyBaseLogger) {
    this.#logger = logger;
  }

  run(name: string, task: () => Promise<unknown>): void {
    // Its own trace: work after the answer is not the request's (its queries are not counted there).
    const running: Promise<void> = withDetachedSpan(`background.${name}`, task)
      .then(() => undefined)
      .catch((error: unknown) => this.#logger.warn({ task: name, err: (error as Error)?.name, code: (error as { code?: string })?.code }, 'background task failed'))
      .finally(() => this.#pending.delete(running));
    this.#pending.add(running);
  }

  get size(): number {
    return this.#pending.size;
  }

  /**
   * Waits for the tasks in flight (and any they start) for at most `deadlineMs`; what is still
   * running then is abandoned and counted in a warning (a write stuck on a database that is down
   * must not hold shutdown up).
   */
  async drain(deadlineMs = 30_000): Promise<void> {
    const settled = (async () => {
      while (this.#pending.size) await Promise.all([...this.#pending]);
    })();
    await waitAtMost(settled, deadlineMs);
    if (this.#pending.size) this.#logger.warn({ abandoned: this.#pending.size, deadlineMs }, 'background tasks still running at the drain deadline: abandoned');
  }
}
