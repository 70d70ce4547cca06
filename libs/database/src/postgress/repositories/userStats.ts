import type { UserStatus } from '../../models';
import type { PrismaExecutor } from './prismaTypes';

export interface UserStatsOptions {
  /** Window of "new users". @default 30 */
  newUsersDays?: number;
}

export interface UserStats {
  /** All rows, soft-deleted included. */
  total: number;
  /** Soft-deleted users. */
  deleted: number;
  byStatus: Record<UserStatus, number>;
  /** Live users per role id (`none` for users without a role). */
  byRole: Record<string, number>;
  newUsers: number;
  newUsersDays: number;
}

/** One statement, so the figures are consistent with each other and cost one round trip. */
export async function getUserStats(client: PrismaExecutor, options: UserStatsOptions = {}): Promise<UserStats> {
  const days = Math.max(0, Math.floor(options.newUsersDays ?? 30));
  const [row] = await client.$queryRaw<Array<{ total: number; deleted: number; new_users: number; by_status: Record<string, number> | null; by_role: Record<string, number> | null }>>`
    SELECT
      (SELECT count(*)::int FROM "User") AS total,
      (SELECT count(*)::int FROM "User" WHERE "isDeleted") AS deleted,
      (SELECT count(*)::int FROM "User" WHERE NOT "isDeleted" AND "createdAt" >= (now() AT TIME ZONE 'UTC') - make_interval(days => ${days}::int)) AS new_users,
      (SELECT json_object_agg(s, n) FROM (SELECT "status"::text AS s, count(*)::int AS n FROM "User" GROUP BY 1) x) AS by_status,
      (SELECT json_object_agg(r, n) FROM (SELECT COALESCE("roleId", 'none') AS r, count(*)::int AS n FROM "User" WHERE NOT "isDeleted" GROUP BY 1) y) AS by_role`;
  const byStatus: Record<UserStatus, number> = { ACTIVE: 0, BANNED: 0, INACTIVE: 0, DELETED: 0, PENDING: 0, ...(row?.by_status ?? {}) };
  return { total: row?.total ?? 0, deleted: row?.deleted ?? 0, byStatus, byRole: row?.by_role ?? {}, newUsers: row?.new_users ?? 0, newUsersDays: days };
}
