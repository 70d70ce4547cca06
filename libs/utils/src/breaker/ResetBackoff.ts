import type { IBackoff, IBackoffFactory, IHalfOpenAfterBackoffContext } from 'cockatiel';

/**
 * The wait of an open breaker before half-open trials, as cockatiel's `halfOpenAfter` backoff:
 * `resetMs · 2^(round − 1)`, capped at `maxResetMs`, where round counts consecutive openings
 * without a close in between. `release()` ends the wait early (a health check saw the
 * dependency answer): cockatiel reads `duration` on every call while open, so the next call
 * becomes a trial.
 */
export class ResetBackoff implements IBackoff<IHalfOpenAfterBackoffContext> {
  readonly round: number;
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #onNext: (backoff: ResetBackoff) => void;
  #released = false;

  constructor(baseMs: number, maxMs: number, round: number, onNext: (backoff: ResetBackoff) => void) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
    this.round = round;
    this.#onNext = onNext;
  }

  /** The wait as planned (what `retryAfterMs` counts down from), ignoring `release()`. */
  get plannedMs(): number {
    return Math.min(this.#maxMs, this.#baseMs * 2 ** Math.min(this.round - 1, 30));
  }

  get duration(): number {
    return this.#released ? 0 : this.plannedMs;
  }

  get released(): boolean {
    return this.#released;
  }

  release(): void {
    this.#released = true;
  }

  next(): ResetBackoff {
    const backoff = new ResetBackoff(this.#baseMs, this.#maxMs, this.round + 1, this.#onNext);
    this.#onNext(backoff);
    return backoff;
  }

  /** The factory cockatiel asks on the first opening after a close. */
  static factory(baseMs: number, maxMs: number, onNext: (backoff: ResetBackoff) => void): IBackoffFactory<IHalfOpenAfterBackoffContext> {
    return {
      next: () => {
        const backoff = new ResetBackoff(baseMs, maxMs, 1, onNext);
        onNext(backoff);
        return backoff;
      },
    };
  }
}
