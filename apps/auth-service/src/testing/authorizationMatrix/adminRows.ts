import { randomUUID } from 'node:crypto';
import type { Expectation, MatrixRow, PrincipalName } from './expectations';

/**
 * `requirePermission(p)` on an admin route: 401 without a credential, 403 PERMISSION_DENIED for
 * a user without `p`, 403 INSUFFICIENT_SCOPE for a key whose owner holds `p` but whose grant lacks it.
 */
export function guarded(allowed: Expectation, overrides: Partial<Record<PrincipalName, Expectation>> = {}): Record<PrincipalName, Expectation> {
  return {
    anonymous: 401,
    plain: { status: 403, code: 'PERMISSION_DENIED' },
    underScopedKey: { status: 403, code: 'INSUFFICIENT_SCOPE' },
    lowerAdmin: allowed,
    sameRankAdmin: allowed,
    superAdmin: allowed,
    ...overrides,
  };
}

/** A lower-rank admin acting on a user who outranks them. */
const OUTRANKED = { status: 403, code: 'TARGET_OUTRANKS_ACTOR' } as const;
/** Needs `metrics:read`, which the lower-rank role does not hold. */
const NO_METRICS = { status: 403, code: 'PERMISSION_DENIED' } as const;

/** The admin API (routes/admin.ts, adminSessions.ts, adminUserSearch.ts, adminHealthSummary.ts). */
export const ADMIN_ROWS: MatrixRow[] = [
  {
    route: 'POST /api/admin/users',
    // Creating a user with a role is granting that role: the lower-rank admin offers the super-admin role.
    request: ({ principal, world }) => ({
      body: { email: `made-${randomUUID()}@example.com`, name: 'Made', roleId: principal === 'lowerAdmin' ? world.roles.superAdmin : principal === 'superAdmin' || principal === 'sameRankAdmin' ? world.roles.lowerAdmin : world.roles.viewer },
    }),
    expect: guarded(201, { lowerAdmin: { status: 403, code: 'ROLE_ESCALATION' } }),
  },
  { route: 'GET /api/admin/users', request: () => ({ url: '/api/admin/users?pageSize=5' }), expect: guarded(200) },
  { route: 'GET /api/admin/users/by-email', request: ({ world }) => ({ url: `/api/admin/users/by-email?email=${encodeURIComponent(world.signInOnly.email)}` }), expect: guarded(200) },
  { route: 'GET /api/admin/users/stats', expect: guarded(200) },
  // Reading a higher-ranked user is allowed: the authority rule is about changing them.
  { route: 'GET /api/admin/users/:id', request: async ({ target }) => ({ url: `/api/admin/users/${(await target()).id}` }), expect: guarded(200) },
  {
    route: 'POST /api/admin/users/status',
    request: async ({ target }) => ({ body: { userIds: [(await target()).id], status: 'BANNED', reason: 'matrix' } }),
    expect: guarded(200, { lowerAdmin: OUTRANKED }),
  },
  {
    route: 'POST /api/admin/users/:id/delete',
    request: async ({ target }) => ({ url: `/api/admin/users/${(await target()).id}/delete` }),
    expect: guarded(200, { lowerAdmin: OUTRANKED }),
  },
  {
    route: 'POST /api/admin/users/:id/restore',
    request: async ({ target }) => ({ url: `/api/admin/users/${(await target({ deleted: true })).id}/restore` }),
    expect: guarded(200, { lowerAdmin: OUTRANKED }),
  },
  { route: 'GET /api/admin/users/:id/sessions', request: async ({ target }) => ({ url: `/api/admin/users/${(await target({ withSession: true })).id}/sessions` }), expect: guarded(200) },
  {
    route: 'POST /api/admin/users/:id/sessions/revoke-all',
    request: async ({ target }) => ({ url: `/api/admin/users/${(await target({ withSession: true })).id}/sessions/revoke-all` }),
    expect: guarded(200, { lowerAdmin: OUTRANKED }),
  },
  {
    route: 'POST /api/admin/users/:id/sessions/:sessionId/revoke',
    request: async ({ target }) => {
      const user = await target({ withSession: true });
      return { url: `/api/admin/users/${user.id}/sessions/${user.sessionId}/revoke` };
    },
    expect: guarded(200, { lowerAdmin: OUTRANKED }),
  },
  { route: 'GET /api/admin/roles/:roleId/users', request: ({ world }) => ({ url: `/api/admin/roles/${world.roles.lowerAdmin}/users` }), expect: guarded(200) },
  { route: 'GET /api/admin/metrics', expect: guarded(200, { lowerAdmin: NO_METRICS, sameRankAdmin: NO_METRICS }) },
  { route: 'GET /api/admin/health/summary', expect: guarded(200, { lowerAdmin: NO_METRICS, sameRankAdmin: NO_METRICS }) },
];
