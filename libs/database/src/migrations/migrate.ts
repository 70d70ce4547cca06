import { randomUUID } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';
import { silentLogger, type DatabaseLogger } from '../types/Logger';
import { MigrationError } from './MigrationError';
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from './migrationFiles';

export interface MigrateOptions {
  /** Folder holding `<timestamp>_<name>/migration.sql`. @default the lib's prisma/migrations */
  migrationsDir?: string;
  /** Pino-shaped logger. @default silent */
  logger?: DatabaseLogger;
  /** Postgres `lock_timeout` while waiting for another instance that is migrating. @default 60_000 */
  lockTimeoutMs?: number;
}

export interface MigrateResult {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Migrations that were already applied. */
  alreadyApplied: string[];
  /** Applied migrations whose file changed since (logged at warn; never re-applied). */
  modified: string[];
}

export const DEFAULT_MIGRATE_OPTIONS = {
  migrationsDir: DEFAULT_MIGRATIONS_DIR,
  lockTimeoutMs: 60_000,
} as const;

// Same table and columns as `prisma migrate deploy`, so the Prisma CLI (where it can run) agrees.
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works; it only has to be the same for every instance migrating this schema.
const ADVISORY_LOCK_KEY = 72_707_369;

/**
 * Applies the committed migrations that are not yet recorded in `_prisma_migrations`, each in
 * its own transaction with its record, so a failing migration leaves nothing half-applied.
 * Instances that start together serialise on an advisory lock; running it twice is a no-op.
 */
export async function migrate(connection: string | ClientConfig, options: MigrateOptions = {}): Promise<MigrateResult> {
  const opts = { ...DEFAULT_MIGRATE_OPTIONS, ...options };
  const logger = options.logger ?? silentLogger;
  const files = readMigrations(opts.migrationsDir);
  const client = new Client(typeof connection === 'string' ? { connectionString: connection } : connection);
  // A dropped connection must surface as a rejected query, not as an uncaught 'error' event.
  client.on('error', (error) => logger.warn?.({ err: error.message }, 'migration connection error'));
  await client.connect();
  const result: MigrateResult = { applied: [], alreadyApplied: [], modified: [] };
  try {
    await client.query(`SET lock_timeout = ${Math.max(0, Math.floor(opts.lockTimeoutMs))}`);
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    try {
      await client.query(MIGRATIONS_TABLE);
      const { rows } = await client.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      );
      const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      for (const file of files) {
        const recorded = done.get(file.name);
        if (recorded !== undefined) {
          result.alreadyApplied.push(file.name);
          if (recorded !== file.checksum) {
            result.modified.push(file.name);
            logger.warn?.({ migration: file.name }, 'applied migration was modified after it was applied');
          }
          continue;
        }
        await applyOne(client, file.name, file.sql, file.checksum);
        result.applied.push(file.name);
        logger.info?.({ migration: file.name }, 'migration applied');
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return result;
}

async function applyOne(client: Client, name: string, sql: string, checksum: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 1)`,
      [randomUUID(), checksum, name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationError('MIGRATION_FAILED', `migration ${name} failed: ${(error as Error).message}`, { migration: name, cause: error });
  }
}
