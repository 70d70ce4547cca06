/**
 * `npx tsx libs/database/scripts/createMigration.ts <name>`: writes
 * prisma/migrations/<UTC timestamp>_<name>/migration.sql with the SQL that takes the schema of
 * the previous migration (its `schema.snapshot.prisma`) to the current prisma/schema.prisma,
 * plus a snapshot of the current schema for the next one. Offline: it runs the WebAssembly
 * schema engine (scripts/schemaEngine.mjs) in a child process, against DATABASE_URL or an
 * embedded Postgres (the engine needs a live connection; it does not change the database).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const libRoot = resolve(__dirname, '..');
const migrationsDir = join(libRoot, 'prisma', 'migrations');
const schemaPath = join(libRoot, 'prisma', 'schema.prisma');
const SNAPSHOT = 'schema.snapshot.prisma';

export function engineDiff(url: string, from?: string): string {
  const args = ['--experimental-wasm-modules', '--no-warnings', join(libRoot, 'scripts', 'schemaEngine.mjs'), 'diff', '--url', url];
  if (from) args.push('--from', from);
  return execFileSync(process.execPath, args, { encoding: 'utf8' });
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function main(): Promise<void> {
  const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  if (!name) throw new Error('usage: createMigration.ts <name>');
  const previous = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort().pop()
    : undefined;
  const snapshot = previous ? join(migrationsDir, previous, SNAPSHOT) : undefined;
  if (snapshot && !existsSync(snapshot)) throw new Error(`${snapshot} is missing: cannot tell what changed since ${previous}`);

  let url: string = process.env['DATABASE_URL'] ?? '';
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    const { startEmbeddedPostgres } = await import('../src/client/embeddedPostgres.js');
    const server = await startEmbeddedPostgres({ database: 'postgres' });
    url = server.url;
    stop = server.stop;
  }
  try {
    const sql = engineDiff(url, snapshot);
    if (/^-- This is an empty migration\.\s*$/.test(sql.trim()) || !sql.trim()) {
      console.log('schema.prisma has no changes since the last migration');
      return;
    }
    const dir = join(migrationsDir, `${timestamp()}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), sql);
    copyFileSync(schemaPath, join(dir, SNAPSHOT));
    console.log(`wrote ${dir}/migration.sql`);
  } finally {
    await stop?.();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
