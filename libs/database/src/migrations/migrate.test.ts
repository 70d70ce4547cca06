import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@tools/test-harness';
import { Client } from 'pg';
import { isMigrationError } from './MigrationError';
import { migrate } from './migrate';
import { readMigrations } from './migrationFiles';

const libRoot = resolve(__dirname, '..', '..');
const EXPECTED_TABLES = ['Account', 'ApiKey', 'Invitation', 'Jwks', 'Member', 'Organization', 'Passkey', 'Role', 'RolePermission', 'SessionLog', 'Store', 'Team', 'TeamMember', 'TwoFactor', 'User', 'UserEvent', 'UserSession', 'Verification', '_prisma_migrations'];

async function query<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every column, index, constraint and enum of the public schema, as comparable text. */
async function catalog(url: string): Promise<string[]> {
  const columns = await query(
    url,
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, datetime_precision
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  const indexes = await query(url, `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
  const constraints = await query(
    url,
    `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND conrelid::regclass::text <> '_prisma_migrations'`,
  );
  const enums = await query(
    url,
    `SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public'`,
  );
  return [...columns, ...indexes, ...constraints, ...enums].map((row) => JSON.stringify(row)).sort();
}

describe('migrate', () => {
  const databases: TestDatabase[] = [];
  const fresh = async (prefix: string) => {
    const db = await createTestDatabase(prefix);
    databases.push(db);
    return db;
  };
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  it('creates every table on a fresh database and records each migration', async () => {
    const db = await fresh('mig_fresh');
    const result = await migrate(db.url);
    expect(result.applied).toEqual(readMigrations().map((m) => m.name));
    const tables = await query<{ table_name: string }>(db.url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
    expect(tables.map((t) => t.table_name).sort()).toEqual([...EXPECTED_TABLES].sort());
    const records = await query<{ migration_name: string; checksum: string }>(db.url, 'SELECT migration_name, checksum FROM "_prisma_migrations"');
    expect(records).toEqual(readMigrations().map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });

  it('is a no-op the second time, also when two instances migrate at once', async () => {
    const db = await fresh('mig_twice');
    const [a, b] = await Promise.all([migrate(db.url), migrate(db.url)]);
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, readMigrations().length]);
    const again = await migrate(db.url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(readMigrations().map((m) => m.name));
    const [{ n }] = await query<{ n: string }>(db.url, 'SELECT count(*) AS n FROM "_prisma_migrations"');
    expect(Number(n)).toBe(readMigrations().length);
  });

  it('rolls a failing migration back entirely and names it', async () => {
    const db = await fresh('mig_fail');
    const dir = mkdtempSync(join(tmpdir(), 'mig-'));
    try {
      mkdirSync(join(dir, '20200101000000_ok'));
      writeFileSync(join(dir, '20200101000000_ok', 'migration.sql'), 'CREATE TABLE "a" (id int);');
      mkdirSync(join(dir, '20200102000000_bad'));
      writeFileSync(join(dir, '20200102000000_bad', 'migration.sql'), 'CREATE TABLE "b" (id int); SELECT * FROM "missing";');
      const error = await migrate(db.url, { migrationsDir: dir }).catch((e: unknown) => e);
      expect(isMigrationError(error) && error.code).toBe('MIGRATION_FAILED');
      expect(isMigrationError(error) && error.migration).toBe('20200102000000_bad');
      const tables = await query<{ table_name: string }>(db.url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
      expect(tables.map((t) => t.table_name).sort()).toEqual(['_prisma_migrations', 'a']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with MIGRATIONS_DIR_MISSING for a folder that does not exist', async () => {
    const error = await migrate('postgresql://unused@127.0.0.1:1/x', { migrationsDir: '/nonexistent/migrations' }).catch((e: unknown) => e);
    expect(isMigrationError(error) && error.code).toBe('MIGRATIONS_DIR_MISSING');
  });

  it('produces exactly the schema in schema.prisma (compared with the schema engine’s own SQL)', async () => {
    const migrated = await fresh('mig_drift_a');
    const reference = await fresh('mig_drift_b');
    await migrate(migrated.url);
    // The WebAssembly schema engine runs as ESM with a Node flag, so in a child process.
    const sql = execFileSync(
      process.execPath,
      ['--experimental-wasm-modules', '--no-warnings', join(libRoot, 'scripts', 'schemaEngine.mjs'), 'diff', '--url', reference.url],
      { encoding: 'utf8' },
    );
    expect(sql).toContain('CREATE TABLE "User"');
    await query(reference.url, sql);
    const [actual, expected] = await Promise.all([catalog(migrated.url), catalog(reference.url)]);
    expect(actual.length).toBeGreaterThan(100);
    expect(actual).toEqual(expected);
  });
});
