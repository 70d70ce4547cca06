import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SessionLog, UserSession } from '@libs/database/models';
import type { Repositories } from '@libs/better-auth';
import { refuseUnlessMayActOnUsers, requestActor, requirePermission } from '../../identity/fastifyGuards';
import { sessionState, type ResourceContext } from '@libs/better-auth';
import { ADMIN_PERMISSIONS } from './adminRoutes';

/** Sessions listed per user (newest first); each with its log. */
export const ADMIN_SESSIONS_LIMIT = 25;
/** `endReason` of a session an admin ended. */
export const ADMIN_REVOKE_REASON = 'revoked_by_admin';

const id = z.string().min(1).max(64);
const userParams = z.object({ id }).strict();
const sessionParams = z.object({ id, sessionId: id }).strict();

/** What an admin sees of a session: never its token or upstream tokens. */
export function sessionView(session: UserSession, logs: SessionLog[], now = Date.now()) {
  const live = sessionState(session, now) === 'live';
  return {
    id: session.id,
    live,
    ipAddress: session.ipAddress,
    userAgent: session.userAgent,
    createdAt: session.createdAt,
    lastAccessedAt: session.lastAccessedAt,
    expiresAt: session.expiresAt,
    endedAt: session.endedAt,
    endReason: session.endReason ?? (live ? null : 'expired'),
    logs: logs.map((l) => ({ action: l.action, timestamp: l.timestamp, ipAddress: l.ipAddress, details: l.details })),
  };
}

/** Ending another user's sessions is acting on them: the actor must contain their permissions. */
const refused = (request: FastifyRequest, reply: FastifyReply, userId: string) => refuseUnlessMayActOnUsers(request, reply, { action: 'user.sessions', userIds: [userId] });

const notFound = (reply: FastifyReply, what: string) => reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No such ${what}` } });

/**
 * A user's sessions for the console, through `SessionRepository`: list live and ended ones with
 * their `SessionLog` (`users:read`), end one or all (`users:manage`, and the actor must contain the
 * user's permissions; the log names the actor).
 */
export function registerAdminSessionRoutes(app: FastifyInstance, repositories: Pick<Repositories, 'users' | 'sessions'>): void {
  const targetUser = async (request: FastifyRequest): Promise<ResourceContext | undefined> => {
    const parsed = userParams.safeParse({ id: (request.params as { id?: unknown }).id });
    if (!parsed.success) return undefined;
    const user = await repositories.users.findFirst({ where: { id: parsed.data.id }, includeDeleted: true });
    return user ? { ownerId: user.id, storeId: user.storeId } : { ownerId: parsed.data.id };
  };
  const exists = async (userId: string) => (await repositories.users.findFirst({ where: { id: userId }, includeDeleted: true })) !== null;

  app.get('/users/:id/sessions', { preHandler: requirePermission(ADMIN_PERMISSIONS.readUsers, { resource: targetUser }) }, async (request, reply) => {
    const { id: userId } = userParams.parse(request.params);
    if (!(await exists(userId))) return notFound(reply, 'user');
    const rows = await repositories.sessions.findMany({ where: { userId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: ADMIN_SESSIONS_LIMIT, readFrom: 'replica' });
    const views = await Promise.all(rows.map(async (row) => sessionView(row, await repositories.sessions.getLogs(row.id))));
    return { active: views.filter((s) => s.live), ended: views.filter((s) => !s.live) };
  });

  app.post('/users/:id/sessions/:sessionId/revoke', { preHandler: requirePermission(ADMIN_PERMISSIONS.manageUsers, { resource: targetUser }) }, async (request, reply) => {
    const { id: userId, sessionId } = sessionParams.parse(request.params);
    if (await refused(request, reply, userId)) return reply;
    const session = await repositories.sessions.findFirst({ where: { id: sessionId, userId } });
    if (!session) return notFound(reply, 'session');
    const ended = await repositories.sessions.end(sessionId, { reason: ADMIN_REVOKE_REASON, by: requestActor(request).userId });
    return { session: sessionView(ended, []) };
  });

  app.post('/users/:id/sessions/revoke-all', { preHandler: requirePermission(ADMIN_PERMISSIONS.manageUsers, { resource: targetUser }) }, async (request, reply) => {
    const { id: userId } = userParams.parse(request.params);
    if (!(await exists(userId))) return notFound(reply, 'user');
    if (await refused(request, reply, userId)) return reply;
    return { ended: await repositories.sessions.endAllForUser(userId, { reason: ADMIN_REVOKE_REASON, by: requestActor(request).userId }) };
  });
}
