import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { verifyKeyBodySchema } from '@libs/better-auth';
import { requiredScopesOf, verifyAnswer } from '@libs/better-auth';

/**
 * Fastify side of the plugins: `app.access` and `request.principal` (for `requirePermission`)
 * and the lean `POST /api/auth/api-key/verify`. That path is also a Better-Auth endpoint; Fastify matches this static route before the `/api/auth/*` wildcard, so
 * key checks skip Better-Auth's per-request router (≈ 2–3 ms of CPU, see docs/architecture.md)
 * with the same decisions (the key in a valid answer is the compact one: see `VerifyAnswerOptions`).
 */
export function registerPluginRoutes(app: FastifyInstance, context: AppContext): void {
  const services = context.pluginServices;
  app.decorate('access', context.access);
  app.decorate('principalLimit', services.principalLimit);
  app.decorateRequest('principal', null);

  app.post('/api/auth/api-key/verify', async (request, reply) => {
    const parsed = verifyKeyBodySchema.safeParse(request.body);
    if (!parsed.success) {
      return reply.code(400).send({ code: 'VALIDATION_ERROR', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    }
    // The compact key: the stock plugin's key fields belong to auth.api.verifyApiKey (server-only there).
    const answer = verifyAnswer(await services.apiKeys.verify(parsed.data.key, requiredScopesOf(parsed.data)), { stockKeyFields: false });
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
}
