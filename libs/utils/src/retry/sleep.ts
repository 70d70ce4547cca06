/**
 * Waits `ms`, or rejects with `onAbort(reason)` as soon as `signal` aborts. Without a signal it
 * is a bare setTimeout (no listener bookkeeping on the common path).
 */
export function sleep(ms: number, signal: AbortSignal | undefined, onAbort: (reason: unknown) => unknown): Promise<void> {
  if (signal === undefined) return new Promise((resolve) => setTimeout(resolve, ms));
  if (signal.aborted) return Promise.reject(onAbort(signal.reason));
  return new Promise((resolve, reject) => {
    const abort = (): void => {
      clearTimeout(timer);
      reject(onAbort(signal.reason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal.addEventListener('abort', abort, { once: true });
  });
}
