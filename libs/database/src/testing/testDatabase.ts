import { createTestDatabase, type TestDatabase } from '@tools/test-harness';
import { PrismaDatabaseClient, type PrismaDatabaseClientOptions } from '../client/PrismaDatabaseClient';
import { migrate } from '../migrations/migrate';

export interface MigratedTestDatabase {
  database: TestDatabase;
  client: PrismaDatabaseClient;
  /** Disconnects and drops the database. */
  close(): Promise<void>;
}

/** Test-only: a fresh harness database with the migrations applied and a client on it. */
export async function migratedTestDatabase(prefix: string, options: Partial<PrismaDatabaseClientOptions> = {}): Promise<MigratedTestDatabase> {
  const database = await createTestDatabase(prefix);
  await migrate(database.url);
  const client = new PrismaDatabaseClient({ poolMax: 5, ...options, url: database.url });
  await client.connect();
  return {
    database,
    client,
    close: async () => {
      await client.disconnect();
      await database.drop();
    },
  };
}
