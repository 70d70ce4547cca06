/**
 * The one logger shape every lib accepts: pino's `(obj, msg)` call style, so an app passes its
 * Fastify/pino logger straight down. Libs that take a partial logger (every method optional)
 * accept `Partial<Logger>`. Nothing here logs label values that may carry user data.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
