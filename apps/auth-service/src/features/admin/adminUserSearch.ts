import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { userStatusSchema } from '@libs/database/models';
import type { Repositories } from '@libs/better-auth';
import { requirePermission } from '../../identity/fastifyGuards';
import { ADMIN_PERMISSIONS, userView } from './adminRoutes';

/** Largest page the console (or anyone) may ask for. */
export const MAX_ADMIN_PAGE_SIZE = 100;

const term = z.string().trim().min(1).max(254).refine((s) => !s.includes('\u0000'), 'NUL bytes are not allowed');

const searchQuery = z
  .object({
    /** Part of the address, case-insensitive. */
    email: term.optional(),
    /** Part of the username, case-insensitive. */
    username: term.optional(),
    roleId: z.string().min(1).max(64).optional(),
    status: userStatusSchema.optional(),
    /** Also list soft-deleted users (always with status DELETED). */
    includeDeleted: z.enum(['true', 'false']).optional(),
    page: z.coerce.number().int().min(1).max(100_000).optional(),
    pageSize: z.coerce.number().int().min(1).max(MAX_ADMIN_PAGE_SIZE).optional(),
  })
  .strict();

/**
 * `GET /api/admin/users`: users by part of their email or username, role and status, newest
 * first, one bounded page at a time (`users:read`).
 */
export function registerAdminUserSearch(app: FastifyInstance, repositories: Pick<Repositories, 'users'>): void {
  app.get('/users', { preHandler: requirePermission(ADMIN_PERMISSIONS.readUsers) }, async (request) => {
    const query = searchQuery.parse(request.query);
    const where = {
      ...(query.email ? { email: { contains: query.email.toLowerCase(), mode: 'insensitive' as const } } : {}),
      ...(query.username ? { username: { contains: query.username, mode: 'insensitive' as const } } : {}),
      ...(query.roleId ? { roleId: query.roleId } : {}),
      ...(query.status ? { status: query.status } : {}),
    };
    const page = await repositories.users.paginate({
      where,
      includeDeleted: query.includeDeleted === 'true' || query.status === 'DELETED',
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      page: query.page ?? 1,
      pageSize: query.pageSize ?? 20,
      // A listing: may lag behind by the replica bound, except right after this admin's own writes.
      readFrom: 'replica',
    });
    return { users: page.items.map(userView), total: page.total, page: page.page, pageSize: page.pageSize, totalPages: page.totalPages, hasNext: page.hasNext };
  });
}
