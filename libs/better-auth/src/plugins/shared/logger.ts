import type { Logger } from '@libs/monitoring';

/** The pino shape the plugins log through (the app passes its Fastify logger). */
export type PluginLogger = Logger;
