import { randomUUID } from 'node:crypto';
import type { Expectation, MatrixRow, PrincipalName } from './expectations';
import { sessionOnly } from './betterAuthRows';
import { TARGET_RANK } from './world';

/**
 * A roles-plugin admin endpoint (`userSessionMiddleware` + a `roles:*` permission): 401 without a
 * session and for a key (the header is ignored there), 403 PERMISSION_DENIED for a plain user.
 */
function rolesGuarded(allowed: Expectation, overrides: Partial<Record<PrincipalName, Expectation>> = {}): Record<PrincipalName, Expectation> {
  return { anonymous: 401, plain: { status: 403, code: 'PERMISSION_DENIED' }, underScopedKey: 401, lowerAdmin: allowed, sameRankAdmin: allowed, superAdmin: allowed, ...overrides };
}

/** Changing a role whose permissions the actor does not hold (a fresh `*:*` role for the lower-rank admin). */
const ESCALATION = { status: 403, code: 'ROLE_ESCALATION' } as const;

const ownKey = async ({ actor, world }: Parameters<NonNullable<MatrixRow['request']>>[0]) => (actor.userId ? (await world.keyOf(actor.userId)).id : 'no-such-key');

/** Our Better-Auth plugins: API keys (plugins/api-key) and roles (plugins/roles). */
export const PLUGIN_ROWS: MatrixRow[] = [
  // A key may not mint, change or revoke keys: only a user session manages its own keys.
  { route: 'POST /api/auth/api-key/create', request: () => ({ body: { name: 'matrix', scopes: ['orders:read'] } }), expect: sessionOnly(200) },
  { route: 'GET /api/auth/api-key/list', expect: sessionOnly(200) },
  // The stock plugin's get and delete: one's own key only (another's is 404 KEY_NOT_FOUND, apiKey.e2e.test.ts).
  { route: 'GET /api/auth/api-key/get', request: async (cell) => ({ url: `/api/auth/api-key/get?id=${await ownKey(cell)}` }), expect: sessionOnly(200) },
  { route: 'POST /api/auth/api-key/delete', request: async (cell) => ({ body: { keyId: await ownKey(cell) } }), expect: sessionOnly(200) },
  { route: 'POST /api/auth/api-key/update', request: async (cell) => ({ body: { keyId: await ownKey(cell), name: 'renamed' } }), expect: sessionOnly(200) },
  { route: 'POST /api/auth/api-key/revoke', request: async (cell) => ({ body: { keyId: await ownKey(cell) } }), expect: sessionOnly(200) },
  { route: 'POST /api/auth/api-key/rotate', request: async (cell) => ({ body: { keyId: await ownKey(cell) } }), expect: sessionOnly(200) },

  {
    route: 'POST /api/auth/roles/create',
    request: ({ principal }) => ({ body: { name: `made-${randomUUID()}`, permissions: principal === 'lowerAdmin' ? ['*:*'] : ['users:read'] } }),
    expect: rolesGuarded(200, { lowerAdmin: ESCALATION }),
  },
  { route: 'POST /api/auth/roles/update', request: async ({ roleTarget }) => ({ body: { roleId: (await roleTarget()).id, description: 'changed' } }), expect: rolesGuarded(200, { lowerAdmin: ESCALATION }) },
  { route: 'POST /api/auth/roles/delete', request: async ({ roleTarget }) => ({ body: { roleId: (await roleTarget()).id } }), expect: rolesGuarded(200, { lowerAdmin: ESCALATION }) },
  {
    route: 'POST /api/auth/roles/add-permissions',
    request: async ({ roleTarget }) => ({ body: { roleId: (await roleTarget()).id, permissions: ['users:read'] } }),
    expect: rolesGuarded(200, { lowerAdmin: ESCALATION }),
  },
  {
    route: 'POST /api/auth/roles/remove-permissions',
    request: async ({ principal, roleTarget }) => ({ body: { roleId: (await roleTarget()).id, permissions: TARGET_RANK[principal] === 'higher' ? ['*:*'] : ['users:read'] } }),
    expect: rolesGuarded(200, { lowerAdmin: ESCALATION }),
  },
  { route: 'GET /api/auth/roles/get', request: ({ world }) => ({ url: `/api/auth/roles/get?roleId=${world.roles.viewer}` }), expect: rolesGuarded(200) },
  { route: 'GET /api/auth/roles/list', expect: rolesGuarded(200) },
  {
    route: 'POST /api/auth/roles/assign',
    // Re-roling a user who outranks the actor (the lower-rank admin demotes a super-admin to viewer).
    request: async ({ world, target }) => ({ body: { userId: (await target()).id, roleId: world.roles.viewer } }),
    expect: rolesGuarded(200, { lowerAdmin: { status: 403, code: 'TARGET_OUTRANKS_ACTOR' } }),
  },
  {
    route: 'POST /api/auth/roles/has-permission',
    // Asking about another user needs roles:read; a key is asked about with its own grant.
    request: async ({ target }) => ({ body: { permission: 'users:manage', userId: (await target()).id } }),
    expect: { ...rolesGuarded(200), underScopedKey: { status: 403, code: 'INSUFFICIENT_SCOPE' } },
  },
  { route: 'GET /api/auth/roles/my-permissions', expect: { ...sessionOnly(200), underScopedKey: 200 } },
];
