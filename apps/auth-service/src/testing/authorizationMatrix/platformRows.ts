import { everyone, type MatrixRow } from './expectations';

/**
 * Routes that are not the admin API or Better-Auth's: probes, metrics, the console page, the
 * fast paths Fastify answers before the `/api/auth/*` wildcard, `/ws`, the IdP's back-channel
 * logout and CORS preflights.
 */
export const PLATFORM_ROWS: MatrixRow[] = [
  // Scraped by Prometheus on the private network; no credential is asked (docs/metrics.md).
  { route: 'GET /metrics', expect: everyone(200) },
  { route: 'GET /health/live', expect: everyone(200) },
  { route: 'GET /health/ready', expect: everyone(200) },
  // The page and its assets hold no data; every call they make is the admin API's.
  { route: 'GET /admin', expect: everyone(200) },
  { route: 'GET /admin/', expect: everyone(200) },
  { route: 'GET /admin/assets/:file', request: () => ({ url: '/admin/assets/app.js' }), expect: everyone(200) },
  // The key in the body is the credential: whoever asks learns only whether it is valid.
  { route: 'POST /api/auth/api-key/verify', request: ({ world }) => ({ body: { key: world.someKey } }), expect: everyone(200) },
  // No session is an answer, not an error: 200 with a JSON null.
  { route: 'GET /api/auth/get-session', expect: { ...everyone({ status: 200, body: 'non-null' }), anonymous: { status: 200, body: null } } },
  // The logout token (signed by the IdP) is the credential; a caller's session counts for nothing.
  { route: 'POST /api/oidc/backchannel-logout', request: () => ({ form: { logout_token: 'not-a-jwt' } }), expect: everyone(400) },
  // @fastify/cors' preflight route: without TRUSTED_ORIGINS CORS is off and it answers 404.
  { route: 'OPTIONS *', request: () => ({ url: '/api/admin/users' }), expect: everyone(404) },
  {
    route: 'GET /ws',
    websocket: true,
    // Sessions need no permission; an API key needs realtime:connect.
    expect: { anonymous: 401, plain: 101, underScopedKey: { status: 403, code: 'INSUFFICIENT_SCOPE' }, lowerAdmin: 101, sameRankAdmin: 101, superAdmin: 101 },
  },
  // Not an upgrade: the guard still runs (a refusal is its answer), an accepted caller finds no HTTP route.
  { route: 'HEAD /ws', expect: { anonymous: 401, plain: 404, underScopedKey: 403, lowerAdmin: 404, sameRankAdmin: 404, superAdmin: 404 } },
];
