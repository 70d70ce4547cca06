import { Client } from 'pg';
import { migrate } from '@libs/database';
import { startPatroniCluster, withDatabase, type PatroniCluster } from '@tools/test-harness';
import type { RunningPiece } from '../processes';
import { StackError } from '../StackError';
import type { PostgresEndpoints } from './postgres';

export interface PatroniPieceOptions {
  /** Patroni members (Postgres nodes): 2 or 3. @default 3 */
  members?: 2 | 3;
  /** `synchronous_mode`: an acknowledged commit is on the synchronous standby too. @default true */
  synchronous?: boolean;
  /** @default 'auth' */
  database?: string;
}

export interface PatroniPiece {
  pieces: RunningPiece[];
  /** `primaryUrl` is HAProxy's write port (`GET /primary`), `replicaUrls` its read port (`GET /replica`). */
  endpoints: PostgresEndpoints;
  /** Each member's REST API (`/cluster`, `/primary`, `/replica`, `/metrics`), by member name. */
  restUrls: Record<string, string>;
  /** The Postgres HAProxy's stats page and Prometheus exporter. */
  statsUrl: string;
  metricsUrl: string;
  etcdUrl: string;
  cluster: PatroniCluster;
}

/**
 * `npm run stack -- --ha`: the test harness's Patroni cluster (`startPatroniCluster`: one etcd
 * member, 2 or 3 Patroni-managed Postgres, HAProxy with a write and a read port), its processes in
 * groups of their own so that `stop` — here or from another shell — finds them by pid; the app's
 * database created and migrated through the write port. Front to back on stop: HAProxy, every
 * Patroni at once (each stops its Postgres; none is left to promote), then etcd, whose piece
 * removes the cluster's directory.
 */
export async function startPatroni(options: PatroniPieceOptions = {}): Promise<PatroniPiece> {
  const database = options.database ?? 'auth';
  let cluster: PatroniCluster;
  try {
    cluster = await startPatroniCluster({ nodes: options.members ?? 3, synchronous: options.synchronous ?? true, detached: true, haproxyMetrics: true, startDeadlineMs: 120_000 });
  } catch (error) {
    throw new StackError('NOT_READY', `the Patroni cluster did not start: ${(error as Error).message}`, { cause: error });
  }
  try {
    const admin = new Client({ connectionString: cluster.writeUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${database}"`);
    } finally {
      await admin.end();
    }
    const primaryUrl = withDatabase(cluster.writeUrl, database);
    await migrate(primaryUrl);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  const haproxyUrl = new URL(cluster.writeUrl);
  const pieces: RunningPiece[] = [
    { name: 'haproxy-postgres', pid: cluster.haproxyProcess.pid, url: `postgresql://127.0.0.1:${haproxyUrl.port}/${database} (write), ${new URL(cluster.readUrl).port} (read)`, log: cluster.haproxyProcess.log, stopSignal: 'SIGTERM', commandMatch: 'haproxy' },
    ...cluster.nodes.map((node, i): RunningPiece => ({ name: `patroni-${i + 1}`, pid: node.pid, url: `${node.restUrl} (Postgres :${node.pgPort})`, log: node.log, stopSignal: 'SIGTERM', commandMatch: 'patroni' })),
    { name: 'etcd', pid: cluster.etcdProcess.pid, url: cluster.etcdUrl, log: cluster.etcdProcess.log, stopSignal: 'SIGTERM', commandMatch: 'etcd', cleanup: [cluster.directory] },
  ];
  return {
    pieces,
    endpoints: { primaryUrl: withDatabase(cluster.writeUrl, database), replicaUrls: [withDatabase(cluster.readUrl, database)] },
    restUrls: Object.fromEntries(cluster.nodes.map((n) => [n.name, n.restUrl])),
    statsUrl: cluster.statsUrl,
    metricsUrl: cluster.metricsUrl!,
    etcdUrl: cluster.etcdUrl,
    cluster,
  };
}
