import { createHash } from 'node:crypto';
import { createTestDatabase, harnessPostgresUrl, templateDatabase, type TestDatabase } from '@tools/test-harness';
import { PrismaDatabaseClient, type PrismaDatabaseClientOptions } from '../client/PrismaDatabaseClient';
import { migrate } from '../migrations/migrate';
import { readMigrations } from '../migrations/migrationFiles';

export interface MigratedTestDatabase {
  database: TestDatabase;
  client: PrismaDatabaseClient;
  /** Disconnects and drops the database. */
  close(): Promise<void>;
}

/**
 * The harness Postgres's template with every committed migration applied, made once per run (and
 * per set of migrations: its name holds their checksum). `migrate()` itself is tested from scratch
 * in migrations/migrate.test.ts; everything else clones this.
 */
export function migratedTemplate(): Promise<string> {
  const checksum = createHash('sha256').update(readMigrations().map((m) => `${m.name}:${m.checksum}`).join('\n')).digest('hex').slice(0, 16);
  return templateDatabase(harnessPostgresUrl(), `tpl_migrated_${checksum}`, async (url) => void (await migrate(url)));
}

/** Test-only: a fresh harness database with the migrations applied (a clone of `migratedTemplate`). */
export async function createMigratedDatabase(prefix: string): Promise<TestDatabase> {
  return createTestDatabase(prefix, { template: await migratedTemplate() });
}

/** Test-only: a fresh harness database with the migrations applied and a client on it. */
export async function migratedTestDatabase(prefix: string, options: Partial<PrismaDatabaseClientOptions> = {}): Promise<MigratedTestDatabase> {
  const database = await createMigratedDatabase(prefix);
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
