import type { Logger } from '@libs/monitoring';

/** The pino-shaped logger the cache accepts; every method is optional so a partial logger works. */
export type CacheLogger = Partial<Logger>;

/** The default: the cache is silent unless the app hands it its logger. */
export const silentLogger: CacheLogger = Object.freeze({});
