import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { Stack } from '../../stack/stack';
import { signUp } from './accounts';

export interface ReplicaLagOptions {
  /** How long the write load runs. */
  lagSeconds: number;
  /** Sign-ups sent through HAProxy per second (each writes a user and an account row on the primary). */
  signUpsPerSecond: number;
  /** Pause between two marker rows (one marker in flight at a time). */
  markerIntervalMs: number;
  /** Password of the sign-ups. */
  password: string;
}

export interface ReplicaLagRun {
  seconds: number;
  signUpsSent: number;
  signUpsFailed: number;
  /** Marker row committed on the primary (its INSERT answered) → first SELECT on the replica that finds it, ms. */
  markerVisibleMs: number[];
  /** Markers still not visible on the replica after `MARKER_DEADLINE_MS`. */
  markerMisses: number;
  /** `pg_wal_lsn_diff(pg_current_wal_lsn() on the primary, pg_last_wal_replay_lsn() on the replica)`, bytes. */
  lsnLagBytes: number[];
  /** `replay_lag` of the replica in the primary's `pg_stat_replication`, seconds (null while idle). */
  replayLagSeconds: number[];
  /** `database_replica_lag_seconds` from each instance's `/metrics`, by instance. */
  appLagSeconds: Record<string, number[]>;
}

const MARKER_DEADLINE_MS = 10_000;
const MARKER_TABLE = 'bench_replica_marker';

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** `database_replica_lag_seconds{replica="…"} <value>` lines of one Prometheus scrape. */
export function replicaLagFromMetrics(text: string): number[] {
  return [...text.matchAll(/^database_replica_lag_seconds\{[^}]*\} (\S+)$/gm)].map((m) => Number(m[1])).filter(Number.isFinite);
}

/** Runs `fn` every `intervalMs` until `until()`; never two at once. */
async function every(intervalMs: number, until: () => boolean, fn: () => Promise<void>): Promise<void> {
  while (!until()) {
    const started = performance.now();
    await fn().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (performance.now() - started))));
  }
}

/**
 * Replica lag under write load on the stack's primary + streaming replica: sign-ups through HAProxy
 * at a fixed rate while marker rows are written on the primary and polled on the replica (write →
 * visible), the WAL position gap and the primary's `replay_lag` are sampled, and every instance's
 * own `database_replica_lag_seconds` is scraped. The marker table is dropped at the end.
 */
export async function measureReplicaLag(stack: Stack, options: ReplicaLagOptions): Promise<ReplicaLagRun> {
  const replicaUrl = stack.postgres.replicaUrls[0];
  if (!replicaUrl) throw new Error('the stack runs no Postgres replica (replicas: 0)');
  const [primary, replica, sampler, replicaSampler] = await Promise.all([connect(stack.postgres.primaryUrl), connect(replicaUrl), connect(stack.postgres.primaryUrl), connect(replicaUrl)]);
  const run: ReplicaLagRun = { seconds: options.lagSeconds, signUpsSent: 0, signUpsFailed: 0, markerVisibleMs: [], markerMisses: 0, lsnLagBytes: [], replayLagSeconds: [], appLagSeconds: {} };
  try {
    // A logged table: unlogged ones are not replicated.
    await primary.query(`CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (id bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())`);
    const end = performance.now() + options.lagSeconds * 1000;
    const over = () => performance.now() >= end;
    const signUps: Promise<void>[] = [];
    const load = every(1000 / options.signUpsPerSecond, over, async () => {
      const index = run.signUpsSent++;
      signUps.push(signUp(stack.url, `lag-user-${index}@bench.local`, options.password, index).catch(() => void run.signUpsFailed++));
    });
    let marker = 0;
    const markers = every(options.markerIntervalMs, over, async () => {
      const id = ++marker;
      await primary.query(`INSERT INTO ${MARKER_TABLE} (id) VALUES ($1)`, [id]);
      const committed = performance.now();
      while (performance.now() - committed < MARKER_DEADLINE_MS) {
        const { rowCount } = await replica.query(`SELECT 1 FROM ${MARKER_TABLE} WHERE id = $1`, [id]);
        if (rowCount) {
          run.markerVisibleMs.push(performance.now() - committed);
          return;
        }
      }
      run.markerMisses++;
    });
    const positions = every(200, over, async () => {
      const { rows: [{ lsn }] } = await replicaSampler.query<{ lsn: string }>('SELECT pg_last_wal_replay_lsn()::text AS lsn');
      const { rows: [row] } = await sampler.query<{ bytes: string; replay: string | null }>(
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS bytes, (SELECT extract(epoch FROM replay_lag)::text FROM pg_stat_replication WHERE application_name LIKE 'stack-replica%' LIMIT 1) AS replay",
        [lsn],
      );
      run.lsnLagBytes.push(Math.max(0, Number(row.bytes)));
      if (row.replay !== null) run.replayLagSeconds.push(Number(row.replay));
    });
    const scrapes = every(500, over, async () => {
      await Promise.all(
        stack.appUrls.map(async (url, i) => {
          const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
          (run.appLagSeconds[`app-${i + 1}`] ??= []).push(...replicaLagFromMetrics(text));
        }),
      );
    });
    await Promise.all([load, markers, positions, scrapes]);
    await Promise.all(signUps);
    await primary.query(`DROP TABLE ${MARKER_TABLE}`);
    return run;
  } finally {
    await Promise.all([primary, replica, sampler, replicaSampler].map((c) => c.end().catch(() => undefined)));
  }
}
