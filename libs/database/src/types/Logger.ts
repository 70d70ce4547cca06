/** A pino-shaped logger: `logger.warn({ op, code }, 'message')`. Every method is optional. */
export interface DatabaseLogger {
  debug?(obj: Record<string, unknown>, msg?: string): void;
  info?(obj: Record<string, unknown>, msg?: string): void;
  warn?(obj: Record<string, unknown>, msg?: string): void;
  error?(obj: Record<string, unknown>, msg?: string): void;
}

/** The default logger: silent. */
export const silentLogger: DatabaseLogger = Object.freeze({});
