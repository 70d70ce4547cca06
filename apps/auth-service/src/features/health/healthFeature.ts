import type { FastifyPluginAsync } from 'fastify';
import { registerHealthRoutes, type HealthOptions } from './healthRoutes';

/** Where liveness and readiness are answered (`/health/live`, `/health/ready`). */
export const HEALTH_PREFIX = '/health';

/** Liveness and readiness for load balancers and orchestrators: dependency checks, breakers, draining. */
export const healthFeature: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  registerHealthRoutes(app, options);
};
