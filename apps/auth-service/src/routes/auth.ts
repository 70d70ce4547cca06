import type { FastifyInstance } from 'fastify';
import type { Auth } from '../auth/createAuth';
import { sendWebResponse, toWebRequest } from '../http/webBridge';

/** Better-Auth's endpoints under `/api/auth/*`, served through its Fetch handler. */
export function registerAuthRoutes(app: FastifyInstance, { auth, baseURL }: { auth: Auth; baseURL: string }): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    handler: async (request, reply) => sendWebResponse(reply, await auth.handler(toWebRequest(request, baseURL))),
  });
}
