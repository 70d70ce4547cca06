import { Client } from 'pg';
import { startPostgresWithReplica, waitFor, type PostgresWithReplica } from './index';

async function one<T>(url: string, sql: string): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0] as T;
  } finally {
    await client.end();
  }
}

describe('startPostgresWithReplica', () => {
  let pg: PostgresWithReplica;
  beforeAll(async () => {
    pg = await startPostgresWithReplica();
  });
  afterAll(() => pg?.stop());

  it('streams the primary to a read-only hot standby', async () => {
    expect(await one(pg.primaryUrl, 'SELECT pg_is_in_recovery() AS standby')).toEqual({ standby: false });
    expect(await one(pg.replicaUrl, 'SELECT pg_is_in_recovery() AS standby')).toEqual({ standby: true });
    await one(pg.primaryUrl, 'CREATE TABLE harness_replica (n int)');
    await one(pg.primaryUrl, 'INSERT INTO harness_replica VALUES (1)');
    await waitFor(async () => expect(await one(pg.replicaUrl, 'SELECT count(*)::int AS n FROM harness_replica')).toEqual({ n: 1 }), 30_000, 'the row on the replica');
    await expect(one(pg.replicaUrl, 'INSERT INTO harness_replica VALUES (2)')).rejects.toThrow(/read-only/);
  });

  it('pauses and resumes replay (lag on demand)', async () => {
    await pg.pauseReplay();
    await one(pg.primaryUrl, 'INSERT INTO harness_replica VALUES (3)');
    await waitFor(async () => expect(await one(pg.replicaUrl, 'SELECT pg_get_wal_replay_pause_state() AS s')).toEqual({ s: 'paused' }), 10_000, 'replay paused');
    expect(await one(pg.replicaUrl, 'SELECT count(*)::int AS n FROM harness_replica WHERE n = 3')).toEqual({ n: 0 });
    await pg.resumeReplay();
    await pg.waitForCatchUp();
    expect(await one(pg.replicaUrl, 'SELECT count(*)::int AS n FROM harness_replica WHERE n = 3')).toEqual({ n: 1 });
  });

  it('stops and restarts the replica, which catches up with writes made meanwhile', async () => {
    await pg.stopReplica();
    await expect(one(pg.replicaUrl, 'SELECT 1')).rejects.toThrow();
    await one(pg.primaryUrl, 'INSERT INTO harness_replica VALUES (4)');
    await pg.startReplica();
    await pg.waitForCatchUp();
    expect(await one(pg.replicaUrl, 'SELECT count(*)::int AS n FROM harness_replica WHERE n = 4')).toEqual({ n: 1 });
  });
});
