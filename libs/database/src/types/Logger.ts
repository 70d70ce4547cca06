import type { Logger } from '@libs/monitoring';

/** A pino-shaped logger: `logger.warn({ op, code }, 'message')`. Every method is optional. */
export type DatabaseLogger = Partial<Logger>;

/** The default logger: silent. */
export const silentLogger: DatabaseLogger = Object.freeze({});
