import { AttemptTimeoutError } from '../errors/AttemptTimeoutError';
import { RetryAbortedError } from '../errors/RetryAbortedError';
import { NEVER_ABORTED, type AttemptContextFactory, type AttemptSignalSource } from './AttemptContext';
import type { RetryContext } from './RetryOptions';
import { MAX_TIMEOUT_MS, cancelTimeout, startTimeout, type TimeoutEntry, type TimeoutLane } from './timeoutLanes';

/**
 * Runs attempt number `attempt`. With neither a timeout nor a caller signal it is just
 * `fn(context)`. Otherwise the attempt is raced against its deadline (a shared timer lane, see
 * `timeoutLanes`) and the caller's signal, so an operation that ignores its signal still cannot
 * hold the retry loop past its timeout.
 */
export function invokeAttempt<T, C extends RetryContext>(
  fn: (context: C) => Promise<T>,
  makeContext: AttemptContextFactory<C>,
  attempt: number,
  operationName: string,
  timeoutMs: number | undefined,
  parent: AbortSignal | undefined,
): Promise<T> {
  if (timeoutMs === undefined && parent === undefined) return fn(makeContext(attempt, undefined));
  if (parent?.aborted) return Promise.reject(new RetryAbortedError(operationName, parent.reason));
  return new GuardedAttempt<T>(operationName, timeoutMs, parent).run(fn, makeContext, attempt);
}

const PENDING = 0;
/** `fn` settled first. */
const SETTLED = 1;
/** The timeout or the caller's abort won; `fn`'s late outcome is ignored. */
const ABORTED = 2;

/**
 * One attempt with a timeout and/or a caller signal. It is its own timer-lane node, its own
 * abort listener (`handleEvent`) and its context's signal source, so guarding an attempt
 * allocates this object and the promise plumbing — no AbortController unless `signal` is read,
 * no Timeout object, no listener closure.
 */
class GuardedAttempt<T> implements TimeoutEntry, AttemptSignalSource {
  laneDeadline = 0;
  lanePrev: TimeoutEntry | undefined = undefined;
  laneNext: TimeoutEntry | undefined = undefined;
  lane: TimeoutLane | undefined = undefined;

  readonly #operationName: string;
  readonly #timeoutMs: number | undefined;
  readonly #parent: AbortSignal | undefined;
  #state = PENDING;
  #controller: AbortController | undefined = undefined;
  #abortReason: unknown = undefined;
  #resolve: (value: T) => void = noop;
  #reject: (error: unknown) => void = noop;

  constructor(operationName: string, timeoutMs: number | undefined, parent: AbortSignal | undefined) {
    this.#operationName = operationName;
    // Node would turn a longer (or non-finite) delay into 1 ms; negative means "at once".
    this.#timeoutMs = timeoutMs === undefined ? undefined : Math.min(MAX_TIMEOUT_MS, Math.max(0, timeoutMs || 0));
    this.#parent = parent;
  }

  run<C extends RetryContext>(fn: (context: C) => Promise<T>, makeContext: AttemptContextFactory<C>, attempt: number): Promise<T> {
    const promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    if (this.#timeoutMs !== undefined) startTimeout(this, this.#timeoutMs, performance.now());
    this.#parent?.addEventListener('abort', this);
    let pending: Promise<T>;
    try {
      pending = fn(makeContext(attempt, this));
    } catch (error) {
      this.#settle(false, error);
      return promise;
    }
    Promise.resolve(pending).then(
      (value) => this.#settle(true, value),
      (error: unknown) => this.#settle(false, error),
    );
    return promise;
  }

  /** The attempt's signal, created on first read (see `AttemptContext`). */
  get signal(): AbortSignal {
    if (this.#controller !== undefined) return this.#controller.signal;
    // Read after `fn` finished: nothing will ever abort it.
    if (this.#state === SETTLED) return NEVER_ABORTED;
    this.#controller = new AbortController();
    if (this.#state === ABORTED) this.#controller.abort(this.#abortReason);
    return this.#controller.signal;
  }

  /** The caller's signal fired (EventListener object form: no closure per attempt). */
  handleEvent(): void {
    const reason = this.#parent?.reason;
    this.#abort(reason, new RetryAbortedError(this.#operationName, reason));
  }

  /** The deadline passed (called by the timer lane). */
  onTimeout(): void {
    const error = new AttemptTimeoutError(this.#operationName, this.#timeoutMs ?? 0);
    this.#abort(error, error);
  }

  #settle(ok: boolean, outcome: unknown): void {
    if (this.#state !== PENDING) return;
    this.#state = SETTLED;
    this.#release();
    if (ok) this.#resolve(outcome as T);
    else this.#reject(outcome);
  }

  #abort(reason: unknown, error: unknown): void {
    if (this.#state !== PENDING) return;
    this.#state = ABORTED;
    this.#abortReason = reason;
    this.#release();
    this.#controller?.abort(reason);
    this.#reject(error);
  }

  #release(): void {
    if (this.lane !== undefined) cancelTimeout(this);
    this.#parent?.removeEventListener('abort', this);
  }
}

function noop(): void {
  /* placeholder until the promise executor runs (synchronously, in run) */
}
