import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { registerAdminHealthSummary } from '../admin/adminHealthSummary';
import { registerAdminSessionRoutes } from '../admin/adminSessions';
import { registerAdminUserSearch } from '../admin/adminUserSearch';
import { registerConsole } from './consolePlugin';

/**
 * The admin console and what it needs beyond the existing admin API (CSRF protection of its
 * writes is app-wide: http/cookieCsrf.ts): user search, a user's sessions, the health summary, and the page itself.
 */
export function registerAdminConsole(app: FastifyInstance, context: Pick<AppContext, 'baseURL' | 'config' | 'repositories' | 'registry' | 'metrics' | 'resilience' | 'replicas'>): void {
  registerAdminUserSearch(app, context.repositories);
  registerAdminSessionRoutes(app, context.repositories);
  // The context's own breakers (each app context has its registry), as /health/ready lists them.
  registerAdminHealthSummary(app, { registry: context.registry, metrics: context.metrics, breakers: () => context.resilience.breakers.list(), replicas: () => context.replicas?.status() ?? [] });
  registerConsole(app);
}
