import type { CacheLogger } from './logger';

/**
 * Fail-safe for revocation while no bus can tell this instance about changes: as long as
 * `healthy()` is false, `forget` (drop the security-relevant L1 entries) runs every `boundMs`,
 * so such an entry is trusted at most that long. `check()` re-evaluates at once (a bus's health
 * changed); a transition to untrusted forgets immediately.
 */
export class L1Bound {
  readonly #healthy: () => boolean;
  readonly #forget: () => void;
  readonly #boundMs: number;
  readonly #logger: CacheLogger;
  #timer: NodeJS.Timeout | undefined;
  #untrusted = false;

  constructor(healthy: () => boolean, forget: () => void, boundMs: number, logger: CacheLogger) {
    this.#healthy = healthy;
    this.#forget = forget;
    this.#boundMs = boundMs;
    this.#logger = logger;
  }

  get untrusted(): boolean {
    return this.#untrusted;
  }

  start(): void {
    this.#timer = setInterval(() => this.check(), this.#boundMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  check(): void {
    const untrusted = !this.#healthy();
    if (untrusted !== this.#untrusted) {
      this.#untrusted = untrusted;
      this.#logger.warn?.({ boundMs: this.#boundMs }, untrusted ? 'cache: no invalidation bus healthy, security entries trusted briefly' : 'cache: an invalidation bus is healthy again');
    }
    if (untrusted) this.#forget();
  }
}
