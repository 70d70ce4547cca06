import type { FastifyPluginAsync } from 'fastify';
import type { ConsoleAssets } from './buildConsole';
import { registerConsole } from './consolePlugin';

/** Where the admin console's page and assets are served. */
export const CONSOLE_PREFIX = '/admin';

export interface ConsoleFeatureOptions {
  /** The page and its bundle; prebuilt next to `main.js`, else built from the sources on first use. */
  assets?: () => Promise<ConsoleAssets>;
}

/**
 * The admin console at `/admin` and `/admin/assets/*`. It holds no data and reads nothing of the
 * app: the page signs in through Better-Auth and calls the admin API like any other client.
 */
export const consoleFeature: FastifyPluginAsync<ConsoleFeatureOptions> = async (app, options) => {
  registerConsole(app, options);
};
