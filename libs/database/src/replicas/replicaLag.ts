import type { DatabaseClient } from '../types/DatabaseClient';

/** What one lag check found on a replica. */
export interface ReplicaLagSample {
  /** Seconds behind the primary; 0 when it had replayed everything the primary had written at the check. */
  lagSeconds: number;
  /** False when the server is not a standby (promoted, or the URL points at a primary). */
  standby: boolean;
}

/** The primary's current WAL position, read first: a replica at or past it was caught up at the check. */
export async function primaryWalPosition(primary: DatabaseClient): Promise<string> {
  const [row] = await primary.prisma.$queryRaw<Array<{ lsn: string }>>`SELECT pg_current_wal_lsn()::text AS lsn`;
  if (!row) throw new Error('no WAL position from the primary');
  return row.lsn;
}

/**
 * Lag of a replica against `primaryLsn`. A replica that has replayed up to it is current (0 s,
 * even when the primary has been idle for hours — `now() - pg_last_xact_replay_timestamp()` alone
 * would call that lag). One that has not is as far behind as its last replayed commit is old:
 * an over-estimate while WAL is still arriving, which errs on the side of the primary. A replica
 * that has replayed no commit yet counts as infinitely behind.
 */
export async function measureReplicaLag(replica: DatabaseClient, primaryLsn: string): Promise<ReplicaLagSample> {
  const [row] = await replica.prisma.$queryRaw<Array<{ standby: boolean; caught_up: boolean | null; behind: number | null }>>`
    SELECT pg_is_in_recovery() AS standby,
      (NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= ${primaryLsn}::pg_lsn) AS caught_up,
      EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp()))::float8 AS behind`;
  if (!row) throw new Error('no answer from the replica');
  if (row.caught_up) return { lagSeconds: 0, standby: row.standby };
  return { lagSeconds: row.behind === null ? Number.POSITIVE_INFINITY : Math.max(0, row.behind), standby: row.standby };
}
