import { storedConditions, type PermissionGrant } from '../../models';
import type { PrismaExecutor } from './prismaTypes';

// Guards the recursive walks against a cycle already in the data (written around the repository).
const MAX_DEPTH = 32;

/** True when making `parentId` the parent of `roleId` would close a loop. */
export async function wouldCreateCycle(client: PrismaExecutor, roleId: string, parentId: string): Promise<boolean> {
  if (roleId === parentId) return true;
  const rows = await client.$queryRaw<Array<{ found: number }>>`
    WITH RECURSIVE ancestors AS (
      SELECT "id", "parentRoleId", 1 AS depth FROM "Role" WHERE "id" = ${parentId}
      UNION ALL
      SELECT r."id", r."parentRoleId", a.depth + 1 FROM "Role" r JOIN ancestors a ON r."id" = a."parentRoleId" WHERE a.depth < ${MAX_DEPTH}
    )
    SELECT 1 AS found FROM ancestors WHERE "id" = ${roleId} LIMIT 1`;
  return rows.length > 0;
}

interface GrantRow {
  permission: string;
  conditions: unknown;
}

/**
 * Rows → grants: an unconditional row of a permission makes its conditional rows moot; a row whose
 * stored conditions are not ones we know (written around the repository) grants nothing.
 */
function toGrants(rows: GrantRow[]): PermissionGrant[] {
  const unconditional = new Set(rows.filter((r) => r.conditions === null).map((r) => r.permission));
  const grants: PermissionGrant[] = [...unconditional].map((permission) => ({ permission, conditions: null }));
  for (const row of rows) {
    if (row.conditions === null || unconditional.has(row.permission)) continue;
    const conditions = storedConditions(row.conditions);
    if (conditions !== 'invalid' && conditions !== null) grants.push({ permission: row.permission, conditions });
  }
  return grants.sort((a, b) => a.permission.localeCompare(b.permission));
}

/**
 * The role's permissions plus its ancestors', with their conditions. The walk stops at an
 * inactive or expired role: it grants nothing, and nothing above it is inherited through it.
 */
export async function effectiveGrantsOfRole(client: PrismaExecutor, roleId: string): Promise<PermissionGrant[]> {
  const rows = await client.$queryRaw<GrantRow[]>`
    WITH RECURSIVE chain AS (
      SELECT "id", "parentRoleId", 1 AS depth FROM "Role"
       WHERE "id" = ${roleId} AND "isActive" AND ("expiresAt" IS NULL OR "expiresAt" > (now() AT TIME ZONE 'UTC'))
      UNION ALL
      SELECT r."id", r."parentRoleId", c.depth + 1 FROM "Role" r JOIN chain c ON r."id" = c."parentRoleId"
       WHERE c.depth < ${MAX_DEPTH} AND r."isActive" AND (r."expiresAt" IS NULL OR r."expiresAt" > (now() AT TIME ZONE 'UTC'))
    )
    SELECT DISTINCT p."permission", p."conditions" FROM "RolePermission" p JOIN chain c ON p."roleId" = c."id"
     WHERE p."expiresAt" IS NULL OR p."expiresAt" > (now() AT TIME ZONE 'UTC')`;
  return toGrants(rows);
}

/**
 * What a role would grant whatever its (or its ancestors') `isActive` and `expiresAt` say — the
 * authority an escalation check compares (a deactivated role holds what it holds once
 * re-activated). Permission rows that expired stay out: nothing revives them. With `parentRoleId`
 * given (`null`: no parent), the role's own permissions plus what that parent chain would grant:
 * the role as it would be after a re-parenting.
 */
export async function authorityGrantsOfRole(client: PrismaExecutor, roleId: string, parentRoleId?: string | null): Promise<PermissionGrant[]> {
  const start = parentRoleId === undefined ? roleId : parentRoleId;
  const rows = await client.$queryRaw<GrantRow[]>`
    WITH RECURSIVE chain AS (
      SELECT "id", "parentRoleId", 1 AS depth FROM "Role" WHERE "id" = ${start}
      UNION ALL
      SELECT r."id", r."parentRoleId", c.depth + 1 FROM "Role" r JOIN chain c ON r."id" = c."parentRoleId" WHERE c.depth < ${MAX_DEPTH}
    )
    SELECT DISTINCT p."permission", p."conditions" FROM "RolePermission" p
     WHERE (p."roleId" = ${roleId} OR p."roleId" IN (SELECT "id" FROM chain))
       AND (p."expiresAt" IS NULL OR p."expiresAt" > (now() AT TIME ZONE 'UTC'))`;
  return toGrants(rows);
}

/**
 * Like `effectiveGrantsOfRole` for the user's role, unless the assignment expired. Whether the
 * user may act at all (status, ban, deletion) is not decided here: the caller's access check
 * decides it, in one place.
 */
export async function effectiveGrantsOfUser(client: PrismaExecutor, userId: string): Promise<PermissionGrant[]> {
  const rows = await client.$queryRaw<GrantRow[]>`
    WITH RECURSIVE chain AS (
      SELECT r."id", r."parentRoleId", 1 AS depth FROM "User" u JOIN "Role" r ON r."id" = u."roleId"
       WHERE u."id" = ${userId}
         AND (u."roleExpiresAt" IS NULL OR u."roleExpiresAt" > (now() AT TIME ZONE 'UTC'))
         AND r."isActive" AND (r."expiresAt" IS NULL OR r."expiresAt" > (now() AT TIME ZONE 'UTC'))
      UNION ALL
      SELECT r."id", r."parentRoleId", c.depth + 1 FROM "Role" r JOIN chain c ON r."id" = c."parentRoleId"
       WHERE c.depth < ${MAX_DEPTH} AND r."isActive" AND (r."expiresAt" IS NULL OR r."expiresAt" > (now() AT TIME ZONE 'UTC'))
    )
    SELECT DISTINCT p."permission", p."conditions" FROM "RolePermission" p JOIN chain c ON p."roleId" = c."id"
     WHERE p."expiresAt" IS NULL OR p."expiresAt" > (now() AT TIME ZONE 'UTC')`;
  return toGrants(rows);
}
