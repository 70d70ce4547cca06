import type { FastifyPluginAsync } from 'fastify';
import type { Repositories } from '@libs/better-auth';
import type { AuthDataLayer } from '../../data/AuthDataLayer';
import { registerCookieCsrf, type CookieCsrfOptions } from '../../http/cookieCsrf';
import { registerAdminHealthSummary, type AdminHealthSummaryOptions } from './adminHealthSummary';
import { registerAdminRoutes } from './adminRoutes';
import { registerAdminSessionRoutes } from './adminSessions';
import { registerAdminUserSearch } from './adminUserSearch';

/** Where the admin API lives. */
export const ADMIN_PREFIX = '/api/admin';

export interface AdminFeatureOptions {
  /** The seed's data layer (user writes with retry, stats, metrics). */
  dataLayer: AuthDataLayer;
  repositories: Pick<Repositories, 'users' | 'sessions'>;
  /** The origins whose pages may write with the session cookie. */
  csrf: CookieCsrfOptions;
  health: AdminHealthSummaryOptions;
}

/**
 * The admin API under `/api/admin` (users, their sessions, search, stats, the health summary),
 * every route behind `requirePermission`. Its cookie CSRF check lives in this scope: Fastify
 * attaches it to these routes and no other (Better-Auth checks its own origins).
 */
export const adminFeature: FastifyPluginAsync<AdminFeatureOptions> = async (app, options) => {
  registerCookieCsrf(app, options.csrf);
  registerAdminRoutes(app, options.dataLayer, options.repositories);
  registerAdminUserSearch(app, options.repositories);
  registerAdminSessionRoutes(app, options.repositories);
  registerAdminHealthSummary(app, options.health);
};
