import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { startPatroniCluster, type PatroniCluster } from './localPatroni';
import { waitFor } from './ports';
import { processAlive } from './processAlive';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}


describe('startPatroniCluster (2 members, etcd, HAProxy)', () => {
  let cluster: PatroniCluster | undefined;
  afterAll(() => cluster?.stop());

  it('fails the primary over behind the same write URL, rejoins the old one as a replica, and stop() leaves nothing behind', async () => {
    cluster = await startPatroniCluster({ nodes: 2 });
    const first = await cluster.primary();
    await query(cluster.writeUrl, 'CREATE TABLE failover_probe (n int PRIMARY KEY)');
    await query(cluster.writeUrl, 'INSERT INTO failover_probe VALUES (1)');
    expect(await query(cluster.readUrl, 'SELECT pg_is_in_recovery() AS standby')).toEqual([{ standby: true }]);

    expect(await cluster.killPrimary()).toBe(first);
    const promoted = await cluster.waitForPrimary(first, 30_000);
    expect(promoted).not.toBe(first);
    await waitFor(() => query(cluster!.writeUrl, 'INSERT INTO failover_probe VALUES (2)'), 15_000, 'a write through the write port');
    expect(await query(cluster.writeUrl, 'SELECT n FROM failover_probe ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);

    await cluster.waitForReplica(first, 45_000);
    await waitFor(async () => expect(await query(cluster!.readUrl, 'SELECT count(*)::int AS n FROM failover_probe')).toEqual([{ n: 2 }]), 15_000, 'both rows on the read port');

    const pids = cluster.nodes.map((n) => n.pid);
    await cluster.stop();
    const stopped = cluster;
    cluster = undefined;
    expect(pids.filter((pid) => processAlive(pid))).toEqual([]);
    await expect(query(stopped.writeUrl, 'SELECT 1')).rejects.toThrow();
    await expect(fetch(`${stopped.nodes[0].restUrl}/health`)).rejects.toThrow();
    expect(existsSync(stopped.directory)).toBe(false);
  }, 120_000);
});
