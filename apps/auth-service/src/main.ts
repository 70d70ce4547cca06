import { loadConfig } from './config';
import { createAppContext } from './context';
import { gracefulShutdown, shutdownTimings } from './lifecycle';
import { buildServer, createFastify } from './server';
import { startBootstrapAdmin } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = createFastify(config);
  const context = await createAppContext(config, app.log);
  const bootstrap = startBootstrapAdmin(context, app.log);
  const closers = bootstrap ? [{ name: 'bootstrap admin', close: async () => bootstrap.stop() }, ...context.closers] : context.closers;
  const lifecycle = gracefulShutdown(app, closers, { log: app.log, ...shutdownTimings(config) });
  await buildServer(app, context, { draining: () => lifecycle.draining });
  // `on`, not `once`: a second signal during the drain delay ends the delay instead of killing the process.
  process.on('SIGTERM', () => void lifecycle.shutdown('SIGTERM'));
  process.on('SIGINT', () => void lifecycle.shutdown('SIGINT', { skipDelay: true }));
  await app.listen({ host: config.HOST, port: config.PORT });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
