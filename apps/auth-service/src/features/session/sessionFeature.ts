import type { FastifyPluginAsync } from 'fastify';
import { registerSessionRoute, type SessionRouteDependencies } from './registerSessionRoute';

/**
 * The lean `GET <basePath>/get-session` (Better-Auth's path: its `basePath` decides the prefix),
 * in a scope of its own beside Better-Auth's wildcard route, which answers what it defers.
 */
export const sessionFeature: FastifyPluginAsync<SessionRouteDependencies> = async (app, options) => {
  await registerSessionRoute(app, options);
};
