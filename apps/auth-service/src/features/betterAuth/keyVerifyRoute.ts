import type { FastifyInstance } from 'fastify';
import type { ApiKeyVerifier } from '@libs/better-auth';
import { verifyKeyBodySchema } from '@libs/better-auth';
import { requiredScopesOf, verifyAnswer } from '@libs/better-auth';

/**
 * The lean `POST /api-key/verify` (under Better-Auth's basePath). That path is also a Better-Auth
 * endpoint; Fastify matches this static route before the wildcard, so key checks skip
 * Better-Auth's per-request router (≈ 2–3 ms of CPU, see docs/architecture.md) with the same
 * decisions (the key in a valid answer is the compact one: see `VerifyAnswerOptions`).
 */
export function registerKeyVerifyRoute(app: FastifyInstance, apiKeys: Pick<ApiKeyVerifier, 'verify'>): void {
  app.post('/api-key/verify', async (request, reply) => {
    const parsed = verifyKeyBodySchema.safeParse(request.body);
    if (!parsed.success) {
      return reply.code(400).send({ code: 'VALIDATION_ERROR', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    }
    // The compact key: the stock plugin's key fields belong to auth.api.verifyApiKey (server-only there).
    const answer = verifyAnswer(await apiKeys.verify(parsed.data.key, requiredScopesOf(parsed.data)), { stockKeyFields: false });
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
}
