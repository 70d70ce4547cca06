import type { FastifyBaseLogger } from 'fastify';

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
    const running: Promise<void> = task()
      .then(() => undefined)
      .catch((error: unknown) => this.#logger.warn({ task: name, err: (error as Error)?.name, code: (error as { code?: string })?.code }, 'background task failed'))
      .finally(() => this.#pending.delete(running));
    this.#pending.add(running);
  }

  get size(): number {
    return this.#pending.size;
  }

  async drain(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }
}
