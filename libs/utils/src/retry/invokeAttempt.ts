import { AttemptTimeoutError } from '../errors/AttemptTimeoutError';
import { RetryAbortedError } from '../errors/RetryAbortedError';
import type { RetryContext } from './RetryOptions';

/** A signal that never aborts, shared so the plain path allocates no AbortController. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/**
 * Runs one attempt. With neither a timeout nor a caller signal it is just `fn(context)`.
 * Otherwise the attempt gets its own AbortController, aborted (and the attempt rejected) when
 * the timer fires or the caller aborts, so an operation that ignores its signal still cannot
 * hold the retry loop past its timeout.
 */
export function invokeAttempt<T, C extends RetryContext>(
  fn: (context: C) => Promise<T>,
  context: C,
  operationName: string,
  timeoutMs: number | undefined,
  parent: AbortSignal | undefined,
): Promise<T> {
  if (timeoutMs === undefined && parent === undefined) {
    context.signal = NEVER_ABORTED;
    return fn(context);
  }
  if (parent?.aborted) return Promise.reject(new RetryAbortedError(operationName, parent.reason));
  const controller = new AbortController();
  context.signal = controller.signal;
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    };
    const onParentAbort = (): void => {
      cleanup();
      controller.abort(parent?.reason);
      reject(new RetryAbortedError(operationName, parent?.reason));
    };
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        cleanup();
        const error = new AttemptTimeoutError(operationName, timeoutMs);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    }
    parent?.addEventListener('abort', onParentAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = fn(context);
    } catch (error) {
      cleanup();
      reject(error);
      return;
    }
    Promise.resolve(pending).then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}
