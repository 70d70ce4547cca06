import Fastify from 'fastify';
import { ambiguousCells, everyone, type MatrixRow } from './expectations';
import { betterAuthEndpoints, RouteRecorder, routeInventory, tableMismatches } from './routeInventory';

describe('route inventory of the authorization matrix', () => {
  const endpoints = betterAuthEndpoints(
    {
      signIn: { path: '/sign-in/email', options: { method: 'POST' } },
      session: { path: '/get-session', options: { method: ['GET', 'POST'] } },
      serverOnly: { path: '/set-password', options: { method: 'POST', metadata: { SERVER_ONLY: true } } },
      noPath: { options: { method: 'POST' } },
      disabled: { path: '/delete-user', options: { method: 'POST' } },
    },
    '/api/auth',
    ['/delete-user'],
  );

  async function inventoryOf(register: (app: ReturnType<typeof Fastify>) => void) {
    const recorder = new RouteRecorder();
    const app = Fastify();
    app.addHook('onRoute', recorder.record);
    register(app);
    await app.ready();
    await app.close();
    return routeInventory(recorder.routes, endpoints, '/api/auth');
  }

  it('lists Better-Auth endpoints as its router serves them: with a path, not server-only, not disabled, once per method', () => {
    expect(endpoints).toEqual([
      { method: 'POST', path: '/api/auth/sign-in/email' },
      { method: 'GET', path: '/api/auth/get-session' },
      { method: 'POST', path: '/api/auth/get-session' },
    ]);
  });

  it('replaces the wildcard by its endpoints, keeps a shadowing Fastify route once, and marks HEAD twins', async () => {
    const inventory = await inventoryOf((app) => {
      app.route({ method: ['GET', 'POST'], url: '/api/auth/*', handler: async () => 'ba' });
      app.get('/api/auth/get-session', { exposeHeadRoute: false }, async () => 'fast');
      app.get('/health', async () => 'ok');
    });
    expect(inventory.map((e) => [e.key, e.source, e.headOf ?? null])).toEqual([
      ['GET /api/auth/get-session', 'fastify', null],
      ['GET /health', 'fastify', null],
      ['HEAD /api/auth/get-session', 'better-auth', 'GET /api/auth/get-session'],
      ['HEAD /health', 'fastify', 'GET /health'],
      ['POST /api/auth/get-session', 'better-auth', null],
      ['POST /api/auth/sign-in/email', 'better-auth', null],
    ]);
  });

  it('names every route without a row, every row without a route, and duplicate rows', async () => {
    const inventory = await inventoryOf((app) => {
      app.route({ method: ['POST'], url: '/api/auth/*', handler: async () => 'ba' });
      app.post('/api/admin/new-thing', async () => 'new');
      app.get('/health', async () => 'ok');
    });
    expect(tableMismatches(inventory, ['GET /health', 'GET /health', 'POST /api/auth/get-session', 'POST /api/admin/gone'])).toEqual([
      'GET /health: more than one row',
      'POST /api/admin/new-thing: registered (fastify) but has no row in the authorization matrix',
      'POST /api/auth/sign-in/email: registered (better-auth) but has no row in the authorization matrix',
      'POST /api/admin/gone: has a row in the authorization matrix but no such route is registered',
    ]);
    expect(tableMismatches(inventory.filter((e) => e.key === 'GET /health' || e.key === 'HEAD /health'), ['GET /health'])).toEqual([]);
  });

  it('refuses a cell that accepts a refusal together with any other answer', () => {
    const rows: MatrixRow[] = [
      { route: 'GET /a', expect: { ...everyone(200), plain: [200, 403] } },
      { route: 'GET /b', expect: { ...everyone([401, 403]), superAdmin: [200, 400] } },
      { route: 'GET /c', expect: { ...everyone(401), lowerAdmin: { status: [400, 401] } } },
    ];
    expect(ambiguousCells(rows)).toEqual(['GET /a × plain: [200, 403]', 'GET /c × lowerAdmin: [400, 401]']);
  });
});
