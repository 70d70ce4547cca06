/** Classifiers stop after this many links: cause chains can be cyclic or absurdly deep. */
export const MAX_CAUSE_DEPTH = 5;

/**
 * The error behind `error`: its `cause`, or — Prisma 7 reports driver-adapter failures (a pg
 * 57P01 on a killed backend, 08006 …) as P2039/P2010 with the adapter error under
 * `meta.driverAdapterError`, off the `cause` chain.
 */
export function nextCause(error: object): unknown {
  const { cause, meta } = error as { cause?: unknown; meta?: unknown };
  if (cause !== undefined) return cause;
  return meta !== null && typeof meta === 'object' ? (meta as { driverAdapterError?: unknown }).driverAdapterError : undefined;
}
