/** What `waitAtMost` answers when the deadline passed first. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Waits for `work` for at most `ms`: its value, or `TIMED_OUT` once the deadline passes (the work
 * may go on; we stop waiting). The timer is unref'd and cleared, so it never holds the process
 * open. A rejection of `work` before the deadline propagates. Used where shutdown must end
 * whatever a peer or a dependency does.
 */
export async function waitAtMost<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, ms, TIMED_OUT);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
