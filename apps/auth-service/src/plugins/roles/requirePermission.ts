import type { FastifyReply, FastifyRequest } from 'fastify';
import { toWebHeaders } from '../../http/webBridge';
import { authenticateApiKey } from '../api-key/requireApiKey';
import { API_KEY_HEADER } from '../api-key/sessionHook';
import { refusalBody } from '../api-key/verifyAnswer';
import { ROLE_ERROR_CODES } from './error-codes';
import { userHasPermission } from './userPermissions';

/**
 * Fastify preHandler: the caller — an `x-api-key` (its owner) or a Better-Auth session
 * (cookie or bearer) — must hold `permission` through their role and its ancestors.
 * 401 without an identity, 403 without the permission.
 */
export function requirePermission(permission: string) {
  return async function requirePermissionHandler(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const services = request.server.authPlugins;
    let userId: string | undefined = request.apiKey?.userId;
    if (!userId && request.headers[API_KEY_HEADER] !== undefined) {
      const outcome = await authenticateApiKey(request);
      if (!outcome.ok) {
        if (outcome.retryAfterS !== undefined) void reply.header('retry-after', String(outcome.retryAfterS));
        return reply.code(outcome.status).send(refusalBody(outcome));
      }
      request.apiKey = outcome.principal;
      userId = outcome.principal.userId;
    }
    if (!userId) userId = (await services.readSession(toWebHeaders(request)))?.user.id;
    if (!userId) return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'Unauthorized' });
    if (!(await userHasPermission(services.repositories, userId, permission))) {
      return reply.code(403).send({ ...ROLE_ERROR_CODES.PERMISSION_DENIED, permission });
    }
  };
}
