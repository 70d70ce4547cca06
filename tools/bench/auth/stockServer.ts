/**
 * Child process: stock Better-Auth (Prisma adapter over `@libs/database`, bearer plugin) on a
 * plain node:http server. Env: PORT, DATABASE_URL, BETTER_AUTH_SECRET. Prints `READY` when listening.
 */
import { createServer } from 'node:http';
import { createDatabaseClient } from '@libs/database';
import { toNodeHandler } from 'better-auth/node';
import { createStockAuth } from './stockAuth';
import { requiredEnv, stopOnSignals } from './serverProcess';

async function main(): Promise<void> {
  const port = Number(requiredEnv('PORT'));
  // Default pool (10, like the app), so neither side wins on connections. Migrating is a no-op
  // on the benchmark's already migrated database and lets a test start it on an empty one.
  const db = await createDatabaseClient({ url: requiredEnv('DATABASE_URL'), applicationName: 'bench-stock', migrate: true });
  const auth = createStockAuth({ prisma: db.prisma, secret: requiredEnv('BETTER_AUTH_SECRET'), baseURL: `http://127.0.0.1:${port}` });
  const server = createServer(toNodeHandler(auth));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  stopOnSignals(server, () => db.disconnect());
  console.log(`READY ${port}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
