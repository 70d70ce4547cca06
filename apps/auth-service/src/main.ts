// First: with OTEL_TRACING=on the SDK must be registered before pg and ioredis are required.
import { tracing } from './tracing/preload';
import { loadConfig } from './config';
import { createAppContext } from './context';
import { gracefulShutdown, shutdownTimings } from './lifecycle';
import { buildApp } from './app';
import { createFastify } from './server';
import { startBootstrapAdmin } from './bootstrap';
import { loadEnvFile, parseMainArgs } from './cli/mainArgs';
import { runMigrateCommand } from './cli/migrateCommand';

/** `main.js [migrate] [--env-file <path>]`: the server, or the migrations once (cli/mainArgs.ts). */
async function main(): Promise<void> {
  const args = parseMainArgs(process.argv.slice(2));
  if (args.envFile) loadEnvFile(args.envFile);
  if (args.command === 'migrate') return runMigrateCommand();
  await serve();
}

async function serve(): Promise<void> {
  const config = loadConfig();
  const app = createFastify(config);
  const context = await createAppContext(config, app.log);
  const bootstrap = startBootstrapAdmin(context, app.log);
  const ownClosers = [...(bootstrap ? [{ name: 'bootstrap admin', close: async () => bootstrap.stop() }] : []), ...context.closers];
  const traced = tracing;
  const closers = traced ? [...ownClosers, { name: 'tracing', close: () => traced.shutdown() }] : ownClosers;
  const lifecycle = gracefulShutdown(app, closers, { log: app.log, ...shutdownTimings(config) });
  await buildApp(app, context, { draining: () => lifecycle.draining });
  // `on`, not `once`: a second signal during the drain delay ends the delay instead of killing the process.
  process.on('SIGTERM', () => void lifecycle.shutdown('SIGTERM'));
  process.on('SIGINT', () => void lifecycle.shutdown('SIGINT', { skipDelay: true }));
  await app.listen({ host: config.HOST, port: config.PORT });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
