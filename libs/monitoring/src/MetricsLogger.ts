import type { Logger } from './Logger';

/** The logger the metrics collector logs through (its snapshots): the shared `Logger`. */
export type MetricsLogger = Logger;

const noop = (): void => undefined;

/** The default logger: drops everything. */
export const SILENT_LOGGER: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
