import type { FastifyPluginAsync } from 'fastify';
import { registerBackchannelLogout, type BackchannelLogoutDependencies } from './backchannelLogoutRoute';

/**
 * The upstream identity provider's calls into the app: OIDC Back-Channel Logout. Its form-body
 * parser is this scope's alone. Sign-in through the provider is Better-Auth's (`genericOAuth`).
 */
export const oidcFeature: FastifyPluginAsync<BackchannelLogoutDependencies> = async (app, options) => {
  registerBackchannelLogout(app, options);
};
