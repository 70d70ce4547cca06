/** A one-shot signal between a test and the code it drives: `opened` settles once `open()` is called. */
export interface Latch {
  readonly opened: Promise<void>;
  readonly isOpen: boolean;
  open(): void;
}

/**
 * Waiting on a latch instead of a fixed sleep makes "the other side got there" an event, not a
 * guess about how fast the machine is.
 */
export function latch(): Latch {
  let resolve!: () => void;
  let isOpen = false;
  const opened = new Promise<void>((r) => (resolve = r));
  return {
    opened,
    get isOpen() {
      return isOpen;
    },
    open: () => {
      isOpen = true;
      resolve();
    },
  };
}
