import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';
import { registerAdminCsrf } from '../routes/adminCsrf';
import { registerAdminHealthSummary } from '../routes/adminHealthSummary';
import { registerAdminSessionRoutes } from '../routes/adminSessions';
import { registerAdminUserSearch } from '../routes/adminUserSearch';
import { registerConsole } from './consolePlugin';

/**
 * The admin console and what it needs beyond the existing admin API: CSRF protection of every
 * `/api/admin/*` write, user search, a user's sessions, the health summary, and the page itself.
 */
export function registerAdminConsole(app: FastifyInstance, context: Pick<AppContext, 'baseURL' | 'config' | 'repositories' | 'registry' | 'metrics' | 'resilience' | 'replicas'>): void {
  registerAdminCsrf(app, { baseURL: context.baseURL, trustedOrigins: context.config.TRUSTED_ORIGINS });
  registerAdminUserSearch(app, context.repositories);
  registerAdminSessionRoutes(app, context.repositories);
  // The context's own breakers (each app context has its registry), as /health/ready lists them.
  registerAdminHealthSummary(app, { registry: context.registry, metrics: context.metrics, breakers: () => context.resilience.breakers.list(), replicas: () => context.replicas?.status() ?? [] });
  registerConsole(app);
}
