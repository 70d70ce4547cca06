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

/**
 * The role's permissions plus its ancestors'. The walk stops at an inactive or expired role:
 * it grants nothing, and nothing above it is inherited through it.
 */
export async function effectivePermissionsOfRole(client: PrismaExecutor, roleId: string): Promise<string[]> {
  const rows = await client.$queryRaw<Array<{ permission: string }>>`
    WITH RECURSIVE chain AS (
      SELECT "id", "parentRoleId", 1 AS depth FROM "Role"
       WHERE "id" = ${roleId} AND "isActive" AND ("expiresAt" IS NULL OR "expiresAt" > (now() AT TIME ZONE 'UTC'))
      UNION ALL
      SELECT r."id", r."parentRoleId", c.depth + 1 FROM "Role" r JOIN chain c ON r."id" = c."parentRoleId"
       WHERE c.depth < ${MAX_DEPTH} AND r."isActive" AND (r."expiresAt" IS NULL OR r."expiresAt" > (now() AT TIME ZONE 'UTC'))
    )
    SELECT DISTINCT p."permission" FROM "RolePermission" p JOIN chain c ON p."roleId" = c."id"
     WHERE p."expiresAt" IS NULL OR p."expiresAt" > (now() AT TIME ZONE 'UTC')
     ORDER BY 1`;
  return rows.map((r) => r.permission);
}

/** Like `effectivePermissionsOfRole` for the user's role, unless the assignment expired or the user is not live. */
export async function effectivePermissionsOfUser(client: PrismaExecutor, userId: string): Promise<string[]> {
  const rows = await client.$queryRaw<Array<{ permission: string }>>`
    WITH RECURSIVE chain AS (
      SELECT r."id", r."parentRoleId", 1 AS depth FROM "User" u JOIN "Role" r ON r."id" = u."roleId"
       WHERE u."id" = ${userId} AND NOT u."isDeleted" AND u."status" = 'ACTIVE'
         AND (u."roleExpiresAt" IS NULL OR u."roleExpiresAt" > (now() AT TIME ZONE 'UTC'))
         AND r."isActive" AND (r."expiresAt" IS NULL OR r."expiresAt" > (now() AT TIME ZONE 'UTC'))
      UNION ALL
      SELECT r."id", r."parentRoleId", c.depth + 1 FROM "Role" r JOIN chain c ON r."id" = c."parentRoleId"
       WHERE c.depth < ${MAX_DEPTH} AND r."isActive" AND (r."expiresAt" IS NULL OR r."expiresAt" > (now() AT TIME ZONE 'UTC'))
    )
    SELECT DISTINCT p."permission" FROM "RolePermission" p JOIN chain c ON p."roleId" = c."id"
     WHERE p."expiresAt" IS NULL OR p."expiresAt" > (now() AT TIME ZONE 'UTC')
     ORDER BY 1`;
  return rows.map((r) => r.permission);
}

/** `users:read` is granted by `users:read`, `users:*` or `*:*`. */
export function permissionGrants(granted: readonly string[], wanted: string): boolean {
  const [resource, action] = wanted.split(':');
  return granted.includes(wanted) || granted.includes(`${resource}:*`) || granted.includes('*:*') || (action === '*' && granted.includes(`${resource}:*`));
}
