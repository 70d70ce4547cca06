/**
 * The logger shape the libs accept: pino's `(obj, msg)` call style, so an app passes its
 * Fastify/pino logger straight down. Nothing here logs label values that may carry user data.
 */
export interface MetricsLogger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

const noop = (): void => undefined;

/** The default logger: drops everything. */
export const SILENT_LOGGER: MetricsLogger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
