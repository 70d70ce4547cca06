/** The pino-shaped logger the cache accepts; every method is optional so a partial logger works. */
export interface CacheLogger {
  debug?(obj: object, msg?: string): void;
  info?(obj: object, msg?: string): void;
  warn?(obj: object, msg?: string): void;
  error?(obj: object, msg?: string): void;
}

/** The default: the cache is silent unless the app hands it its logger. */
export const silentLogger: CacheLogger = Object.freeze({});
