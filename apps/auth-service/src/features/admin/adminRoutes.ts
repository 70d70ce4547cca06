import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { userStatusSchema, type User } from '@libs/database/models';
import { isRepositoryError } from '@libs/database/postgress/repositories';
import type { AuthDataLayer } from '../../data/AuthDataLayer';
import type { Repositories } from '@libs/better-auth';
import { keepingAnAdmin, refuseUnlessMayActOnUsers, requestActor, requirePermission } from '../../identity/fastifyGuards';
import type { UserAction } from '@libs/better-auth';
import type { ResourceContext } from '@libs/better-auth';

/** Permissions the admin routes need (granted through roles; see the roles plugin). */
export const ADMIN_PERMISSIONS = {
  readUsers: 'users:read',
  manageUsers: 'users:manage',
  readMetrics: 'metrics:read',
} as const;

const id = z.string().min(1).max(64);

const createUserBody = z
  .object({
    // Stored as given by the repositories (Better-Auth lowercases before its adapter): lowercase here too.
    email: z.email().max(254).transform((e) => e.toLowerCase()),
    name: z.string().min(1).max(255),
    roleId: id,
  })
  .strict();

const statusBody = z
  .object({
    userIds: z.array(id).min(1).max(1_000),
    status: userStatusSchema,
    reason: z.string().max(500).optional(),
    /** With BANNED: the ban lapses then (a temporary ban). */
    banExpiresAt: z.coerce.date().optional(),
  })
  .strict();

const byEmailQuery = z.object({ email: z.email().max(254) }).strict();
const userParams = z.object({ id }).strict();
const roleParams = z.object({ roleId: id }).strict();
const pageQuery = z.object({ skip: z.coerce.number().int().min(0).max(1_000_000).optional(), take: z.coerce.number().int().min(1).max(500).optional() }).strict();
const statsQuery = z.object({ newUsersDays: z.coerce.number().int().min(1).max(3_650).optional() }).strict();

/** What an admin sees of a user: no audit log, metadata or credentials. */
export function userView(user: User) {
  const { id: userId, email, name, status, roleId, roleExpiresAt, banReason, banExpiresAt, isDeleted, deletedAt, deletedBy, lastLoginAt, createdAt, createdBy } = user;
  return { id: userId, email, name, status, roleId, roleExpiresAt, banReason, banExpiresAt, isDeleted, deletedAt, deletedBy, lastLoginAt, createdAt, createdBy };
}

const NOT_FOUND = { error: { code: 'NOT_FOUND', message: 'No such user' } };

/**
 * Admin routes on the seed's `AuthDataLayer`, each guarded by a permission through the access
 * core (a session, or an API key granted that permission whose owner holds it). Every write
 * records the authenticated actor (user id, plus key id for a key caller). Routes on one user
 * pass that user as the resource, so conditional grants (`own`, `sameStore`) apply. Every write
 * on users first asks the access core's authority rule (the actor must contain each target's
 * permissions and any role given; the last system admin stays): refused, nothing is written.
 */
export function registerAdminRoutes(app: FastifyInstance, dataLayer: AuthDataLayer, repositories: Pick<Repositories, 'users'>): void {
  const targetUser = async (request: FastifyRequest): Promise<ResourceContext | undefined> => {
    const parsed = userParams.safeParse(request.params);
    if (!parsed.success) return undefined;
    const user = await repositories.users.findFirst({ where: { id: parsed.data.id }, includeDeleted: true });
    return user ? { ownerId: user.id, storeId: user.storeId } : { ownerId: parsed.data.id };
  };
  const notFound = async (reply: FastifyReply, action: () => Promise<unknown>) => {
    try {
      return await action();
    } catch (error) {
      if (isRepositoryError(error, 'NOT_FOUND')) return reply.code(404).send(NOT_FOUND);
      throw error;
    }
  };

  app.post('/users', { preHandler: requirePermission(ADMIN_PERMISSIONS.manageUsers) }, async (request, reply) => {
    const body = createUserBody.parse(request.body);
    if (await refuseUnlessMayActOnUsers(request, reply, { action: 'user.create', userIds: [], assigns: { roleId: body.roleId } })) return reply;
    const user = await dataLayer.createUserWithRole({ email: body.email, name: body.name }, body.roleId, requestActor(request));
    return reply.code(201).send({ user: userView(user) });
  });

  app.get('/users/by-email', { preHandler: requirePermission(ADMIN_PERMISSIONS.readUsers) }, async (request, reply) => {
    const { email } = byEmailQuery.parse(request.query);
    const user = await dataLayer.getUserByEmail(email);
    if (!user) return reply.code(404).send(NOT_FOUND);
    return { user: userView(user) };
  });

  app.get('/users/:id', { preHandler: requirePermission(ADMIN_PERMISSIONS.readUsers, { resource: targetUser }) }, async (request, reply) => {
    const { id: userId } = userParams.parse(request.params);
    const user = await repositories.users.findFirst({ where: { id: userId }, includeDeleted: true });
    if (!user) return reply.code(404).send(NOT_FOUND);
    return { user: userView(user), auditLog: user.auditLog };
  });

  app.get('/users/stats', { preHandler: requirePermission(ADMIN_PERMISSIONS.readUsers) }, async (request) => dataLayer.getUserStats(statsQuery.parse(request.query)));

  app.get('/roles/:roleId/users', { preHandler: requirePermission(ADMIN_PERMISSIONS.readUsers) }, async (request) => {
    const { roleId } = roleParams.parse(request.params);
    const page = pageQuery.parse(request.query);
    return { users: (await dataLayer.findUsersByRole(roleId, page)).map(userView) };
  });

  app.post('/users/status', { preHandler: requirePermission(ADMIN_PERMISSIONS.manageUsers) }, async (request, reply) => {
    const body = statusBody.parse(request.body);
    const action: UserAction = { action: 'user.status', userIds: body.userIds, disables: body.status !== 'ACTIVE' };
    // Every target of the batch, before any write: one outranking target refuses the whole batch.
    if (await refuseUnlessMayActOnUsers(request, reply, action)) return reply;
    const updated = await dataLayer.batchUpdateUserStatus(body.userIds, body.status, requestActor(request), { reason: body.reason, banExpiresAt: body.banExpiresAt }, keepingAnAdmin(request, action));
    return { updated };
  });

  app.post('/users/:id/delete', { preHandler: requirePermission(ADMIN_PERMISSIONS.manageUsers, { resource: targetUser }) }, async (request, reply) => {
    const { id: userId } = userParams.parse(request.params);
    const action: UserAction = { action: 'user.delete', userIds: [userId], disables: true };
    if (await refuseUnlessMayActOnUsers(request, reply, action)) return reply;
    return notFound(reply, async () => ({ user: userView(await dataLayer.softDeleteUser(userId, requestActor(request), keepingAnAdmin(request, action))) }));
  });

  app.post('/users/:id/restore', { preHandler: requirePermission(ADMIN_PERMISSIONS.manageUsers, { resource: targetUser }) }, async (request, reply) => {
    const { id: userId } = userParams.parse(request.params);
    if (await refuseUnlessMayActOnUsers(request, reply, { action: 'user.restore', userIds: [userId] })) return reply;
    return notFound(reply, async () => ({ user: userView(await dataLayer.restoreUser(userId, requestActor(request))) }));
  });

  app.get('/metrics', { preHandler: requirePermission(ADMIN_PERMISSIONS.readMetrics) }, async () => dataLayer.getMetrics());
}
