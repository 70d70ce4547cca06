import type { CircuitBreakerStateName } from '@libs/monitoring';
import { log, type RetryLogger } from '../logger';

/** Options of `BreakerRegistry.watchRecovery`. */
export interface RecoveryProbeOptions {
  /**
   * Does the dependency answer again? Cheap and side-effect free (`SELECT 1`, a PING). False, a
   * throw, or no answer within `timeoutMs` means "not yet".
   */
  check: () => boolean | Promise<boolean>;
  /**
   * Time between checks while a watched breaker is open; recovery after an outage takes about
   * this long. Doubles (up to 64×) each time a check said healthy but the trials it let through
   * failed again, so a dependency that answers checks but fails real calls is not hammered.
   * @default 200
   */
  intervalMs?: number;
  /**
   * A check not answered within this counts as unhealthy.
   * @default 1_000
   */
  timeoutMs?: number;
  /** @default undefined (silent) */
  logger?: RetryLogger;
}

export const defaultRecoveryProbeOptions = Object.freeze({ intervalMs: 200, timeoutMs: 1_000 });

/**
 * The active half of breaker recovery: a breaker alone learns that its dependency is back only
 * by letting a call through after its reset wait; this asks the dependency directly while a
 * watched breaker is open and releases the breakers (`probe()`) as soon as it answers. One check
 * in flight at a time; the timer is unref'd, so it never keeps the process alive.
 */
export class RecoveryProbe {
  readonly #check: RecoveryProbeOptions['check'];
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #logger: RetryLogger | undefined;
  readonly #release: () => number;
  readonly #anyOpen: () => boolean;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #checking = false;
  #disposed = false;
  #releasedSinceClose = false;
  #futileReleases = 0;

  /**
   * @param release probes the watched breakers; returns how many were released
   * @param anyOpen whether a watched breaker is still open and waiting
   */
  constructor(options: RecoveryProbeOptions, release: () => number, anyOpen: () => boolean) {
    this.#check = options.check;
    this.#intervalMs = Math.max(1, options.intervalMs ?? defaultRecoveryProbeOptions.intervalMs);
    this.#timeoutMs = Math.max(1, options.timeoutMs ?? defaultRecoveryProbeOptions.timeoutMs);
    this.#logger = options.logger;
    this.#release = release;
    this.#anyOpen = anyOpen;
  }

  /** A watched breaker changed state. */
  stateChanged(state: CircuitBreakerStateName): void {
    if (state === 'closed') {
      this.#releasedSinceClose = false;
      this.#futileReleases = 0;
    } else if (state === 'open') {
      if (this.#releasedSinceClose) this.#futileReleases = Math.min(6, this.#futileReleases + 1);
      this.#schedule();
    }
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#disposed || this.#timer !== undefined || this.#checking) return;
    this.#timer = setTimeout(() => void this.#tick(), this.#intervalMs * 2 ** this.#futileReleases);
    this.#timer.unref?.();
  }

  async #tick(): Promise<void> {
    this.#timer = undefined;
    if (this.#disposed || !this.#anyOpen()) return;
    this.#checking = true;
    let healthy = false;
    try {
      healthy = await this.#bounded();
    } catch {
      healthy = false;
    } finally {
      this.#checking = false;
    }
    if (this.#disposed) return;
    if (healthy) {
      const released = this.#release();
      if (released > 0) {
        this.#releasedSinceClose = true;
        log(this.#logger, 'info', { released }, 'dependency answers again; circuit breakers released for trials');
      }
      return;
    }
    this.#schedule();
  }

  #bounded(): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.#timeoutMs);
    });
    return Promise.race([Promise.resolve(this.#check()).then((answer) => answer === true), timeout]).finally(() => clearTimeout(timer));
  }
}
