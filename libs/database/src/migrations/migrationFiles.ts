import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MigrationError } from './MigrationError';

/**
 * The committed migrations folder of this lib (`libs/database/prisma/migrations`): beside the
 * sources, or — when the lib is bundled into an app (`dist/…`) — in the installed package.
 */
export const DEFAULT_MIGRATIONS_DIR = locateMigrations();

function locateMigrations(): string {
  const besideSources = resolve(__dirname, '..', '..', 'prisma', 'migrations');
  if (existsSync(besideSources)) return besideSources;
  try {
    return join(dirname(require.resolve('@libs/database/package.json')), 'prisma', 'migrations');
  } catch {
    return besideSources;
  }
}

export interface MigrationFile {
  /** Folder name, e.g. `20261126150000_init`; folders sort by their timestamp prefix. */
  name: string;
  sql: string;
  /** SHA-256 of the SQL, hex, as Prisma records it in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** Reads `<dir>/<timestamp>_<name>/migration.sql` in order. */
export function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(dir)) {
    throw new MigrationError('MIGRATIONS_DIR_MISSING', `migrations folder not found: ${dir}`);
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}
