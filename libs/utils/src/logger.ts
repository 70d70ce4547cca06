import type { Logger } from '@libs/monitoring';

/** A pino-shaped logger; every method is optional so a partial object (or none) works. */
export type RetryLogger = Partial<Logger>;

/** Calls `logger[level]` if present; a throwing logger must not fail the operation it describes. */
export function log(logger: RetryLogger | undefined, level: keyof RetryLogger, obj: object, msg: string): void {
  const method = logger?.[level];
  if (method === undefined) return;
  try {
    method.call(logger, obj, msg);
  } catch {
    /* ignored on purpose */
  }
}

/**
 * A stable, bounded error code for metrics and logs: the error's own string `code` when it
 * looks like one (Prisma `P2002`, `ECONNRESET`, `ATTEMPT_TIMEOUT`), otherwise its class name,
 * otherwise `UNKNOWN`. Messages are never used: they can hold row values or tokens.
 */
export function errorCodeOf(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && CODE_SHAPE.test(code)) return code;
    if (typeof code === 'number' && Number.isInteger(code)) return String(code);
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && CODE_SHAPE.test(name) && name !== 'Error') return name;
  }
  return 'UNKNOWN';
}

const CODE_SHAPE = /^[A-Za-z0-9_.:-]{1,64}$/;
