import type { FastifyPluginAsync } from 'fastify';
import type { ApiKeyVerifier } from '@libs/better-auth';
import { answerWithBetterAuth, type BetterAuthRouteDependencies } from '../../auth/betterAuthBridge';
import { registerKeyVerifyRoute } from './keyVerifyRoute';

export interface BetterAuthFeatureOptions extends BetterAuthRouteDependencies {
  /** The key verifier behind the lean `POST /api-key/verify`. */
  apiKeys: Pick<ApiKeyVerifier, 'verify'>;
}

/**
 * Better-Auth's endpoints, registered under its `basePath` (`/api/auth`): the wildcard route into
 * its Fetch handler (`answerWithBetterAuth`: outages become 503 + Retry-After), and the lean key
 * verification that Fastify matches before the wildcard.
 */
export const betterAuthFeature: FastifyPluginAsync<BetterAuthFeatureOptions> = async (app, { apiKeys, ...deps }) => {
  registerKeyVerifyRoute(app, apiKeys);
  app.route({
    method: ['GET', 'POST'],
    url: '/*',
    handler: (request, reply) => answerWithBetterAuth(request, reply, deps),
  });
};
