import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { User } from '@libs/database/models';
import type { AuthDataLayer } from '../data/AuthDataLayer';
import { requirePermission } from '../plugins/roles/requirePermission';

/** Permissions the admin routes need (granted through roles; see the roles plugin). */
export const ADMIN_PERMISSIONS = {
  readUsers: 'users:read',
  manageUsers: 'users:manage',
  readMetrics: 'metrics:read',
} as const;

const createUserBody = z
  .object({
    email: z.email().max(254),
    name: z.string().min(1).max(255),
    roleId: z.string().min(1).max(64),
  })
  .strict();

const statusBody = z
  .object({
    userIds: z.array(z.string().min(1).max(64)).min(1).max(1_000),
    status: z.enum(['ACTIVE', 'BANNED', 'INACTIVE', 'DELETED', 'PENDING']),
    reason: z.string().max(500).optional(),
  })
  .strict();

const byEmailQuery = z.object({ email: z.email().max(254) }).strict();

/** What an admin sees of a user: no audit log, metadata or credentials. */
function userView(user: User) {
  const { id, email, name, status, roleId, roleExpiresAt, isDeleted, lastLoginAt, createdAt } = user;
  return { id, email, name, status, roleId, roleExpiresAt, isDeleted, lastLoginAt, createdAt };
}

/**
 * Admin routes on the seed's `AuthDataLayer`, each guarded by a permission (session or API key):
 * create a user with a role in one transaction, find a user by email, set many users' status
 * at once (a ban ends their sessions on every instance), and the data layer's metrics.
 */
export function registerAdminRoutes(app: FastifyInstance, dataLayer: AuthDataLayer): void {
  app.post('/api/admin/users', { preHandler: requirePermission(ADMIN_PERMISSIONS.manageUsers) }, async (request, reply) => {
    const body = createUserBody.parse(request.body);
    const user = await dataLayer.createUserWithRole({ email: body.email, name: body.name }, body.roleId, request.apiKey?.userId ?? 'admin');
    return reply.code(201).send({ user: userView(user) });
  });

  app.get('/api/admin/users/by-email', { preHandler: requirePermission(ADMIN_PERMISSIONS.readUsers) }, async (request, reply) => {
    const { email } = byEmailQuery.parse(request.query);
    const user = await dataLayer.getUserByEmail(email);
    if (!user) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such user' } });
    return { user: userView(user) };
  });

  app.post('/api/admin/users/status', { preHandler: requirePermission(ADMIN_PERMISSIONS.manageUsers) }, async (request) => {
    const body = statusBody.parse(request.body);
    const updated = await dataLayer.batchUpdateUserStatus(body.userIds, body.status, request.apiKey?.userId ?? 'admin', body.reason);
    return { updated };
  });

  app.get('/api/admin/metrics', { preHandler: requirePermission(ADMIN_PERMISSIONS.readMetrics) }, async () => dataLayer.getMetrics());
}
