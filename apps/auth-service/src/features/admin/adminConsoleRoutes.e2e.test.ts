import { startTestApp, type TestApp } from '../../testing/testApp';
import { ADMIN_PERMISSIONS } from './adminRoutes';
import { ADMIN_REVOKE_REASON } from './adminSessions';

const json = { 'content-type': 'application/json' };
type ErrorBody = { error: { code: string; message: string } };

describe('admin routes the console uses: search, sessions, health summary, CSRF', () => {
  let t: TestApp;
  let adminCookie: string;
  let plainCookie: string;
  let target: { id: string; email: string; password: string };

  const signUp = async (tag: string) => {
    const email = `${tag}-${Date.now()}@example.com`;
    const password = 'console routes password';
    await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password, name: tag }) });
    return { id: (await t.context.repositories.users.findByEmail(email))!.id, email, password };
  };
  const signIn = async (user: { email: string; password: string }) =>
    (await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify(user) })).headers.get('set-cookie')!.split(';')[0]!;
  const get = (path: string, cookie = adminCookie) => fetch(`${t.url}${path}`, { headers: { cookie } });
  const post = (path: string, body: unknown, headers: Record<string, string>) => fetch(`${t.url}${path}`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    t = await startTestApp();
    const role = await t.context.repositories.roles.create({ name: `console-admins-${Date.now()}` });
    await t.context.repositories.roles.addPermissions(role.id, Object.values(ADMIN_PERMISSIONS));
    const admin = await signUp('console-admin');
    await t.context.repositories.users.updateRole(admin.id, role.id, 'test');
    adminCookie = await signIn(admin);
    const plain = await signUp('console-plain');
    plainCookie = await signIn(plain);
    target = await signUp('console-target');
    for (let i = 0; i < 3; i++) await signUp(`console-many${i}`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('searches users by part of the email and status, one bounded page at a time', async () => {
    const found = (await (await get('/api/admin/users?email=CONSOLE-MANY&pageSize=2')).json()) as { users: Array<{ email: string }>; total: number; hasNext: boolean; totalPages: number };
    expect(found.total).toBe(3);
    expect(found.users).toHaveLength(2);
    expect(found.hasNext).toBe(true);
    const second = (await (await get('/api/admin/users?email=console-many&pageSize=2&page=2')).json()) as { users: Array<{ email: string }> };
    expect(second.users).toHaveLength(1);
    expect(new Set([...found.users, ...second.users].map((u) => u.email)).size).toBe(3);
    const banned = (await (await get('/api/admin/users?status=BANNED')).json()) as { total: number };
    expect(banned.total).toBe(0);
    expect(found.users[0]).not.toHaveProperty('auditLog');
  });

  it('refuses bad search input with 400 JSON and non-admins with 403', async () => {
    for (const query of ['pageSize=101', 'pageSize=0', 'page=-1', 'status=ROOT', 'unknown=1', `email=${'a'.repeat(300)}`, 'includeDeleted=yes']) {
      const res = await get(`/api/admin/users?${query}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.code).toBe('VALIDATION');
    }
    expect((await get('/api/admin/users', plainCookie)).status).toBe(403);
    expect((await get(`/api/admin/users/${target.id}/sessions`, plainCookie)).status).toBe(403);
    expect((await get('/api/admin/health/summary', plainCookie)).status).toBe(403);
    expect((await fetch(`${t.url}/api/admin/users`)).status).toBe(401);
  });

  it('lists a user\'s live and ended sessions with their log, ends one and then all, naming the actor', async () => {
    const first = await signIn(target);
    await signIn(target);
    type Listing = { active: Array<{ id: string; logs: Array<{ action: string }>; userAgent: string | null }>; ended: Array<{ id: string; endReason: string; logs: Array<{ action: string; details: { by?: string } }> }> };
    const before = (await (await get(`/api/admin/users/${target.id}/sessions`)).json()) as Listing;
    expect(before.active).toHaveLength(2);
    expect(before.active[0]!.logs.map((l) => l.action)).toContain('CREATED');
    expect(JSON.stringify(before)).not.toContain(first.split('=')[1]!.split('.')[0]!);

    const origin = { origin: t.url, cookie: adminCookie };
    const one = await post(`/api/admin/users/${target.id}/sessions/${before.active[0]!.id}/revoke`, {}, origin);
    expect(one.status).toBe(200);
    const after = (await (await get(`/api/admin/users/${target.id}/sessions`)).json()) as Listing;
    expect(after.active).toHaveLength(1);
    expect(after.ended[0]).toMatchObject({ id: before.active[0]!.id, endReason: ADMIN_REVOKE_REASON });
    const adminId = (await (await get('/api/auth/get-session')).json() as { user: { id: string } }).user.id;
    expect(after.ended[0]!.logs.find((l) => l.action === 'ENDED')?.details.by).toBe(adminId);

    expect(((await (await post(`/api/admin/users/${target.id}/sessions/revoke-all`, {}, origin)).json()) as { ended: number }).ended).toBe(1);
    expect(((await (await get(`/api/admin/users/${target.id}/sessions`)).json()) as Listing).active).toHaveLength(0);

    expect((await post(`/api/admin/users/${target.id}/sessions/not-a-session/revoke`, {}, origin)).status).toBe(404);
    expect((await post('/api/admin/users/no-such-user/sessions/revoke-all', {}, origin)).status).toBe(404);
    expect((await get('/api/admin/users/no-such-user/sessions')).status).toBe(404);
    expect((await get(`/api/admin/users/${'x'.repeat(65)}/sessions`)).status).toBe(400);
  });

  it('summarises breakers, error rate and per-route p50 / p99 from the app\'s own metrics', async () => {
    const res = await get('/api/admin/health/summary');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { breakers: Array<{ key: string; state: string }>; errorRate: number; requests: number; routes: Array<{ route: string; count: number; errors: number; p50Ms: number; p99Ms: number; errorRate: number }> };
    const search = body.routes.find((r) => r.route === 'GET /api/admin/users');
    expect(search?.count).toBeGreaterThanOrEqual(3);
    expect(search!.p50Ms).toBeGreaterThan(0);
    expect(search!.p99Ms).toBeGreaterThanOrEqual(search!.p50Ms);
    expect(body.breakers.some((b) => b.key.startsWith('db.') && b.state === 'closed')).toBe(true);
    // The error rate counts 5xx answers only: the 400s, 403s and 404s above are not errors, and
    // nothing here answered 5xx (the per-route figures add up to the overall ones).
    expect(body.requests).toBe(body.routes.reduce((n, r) => n + r.count, 0));
    expect(body.routes.reduce((n, r) => n + r.errors, 0)).toBe(0);
    expect(search!.errorRate).toBe(0);
    expect(body.errorRate).toBe(0);
  });

  it('refuses cookie-authenticated admin writes from another site (Origin or Sec-Fetch-Site), before anything runs', async () => {
    const body = { userIds: [target.id], status: 'INACTIVE' };
    const crossSite: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of crossSite) {
      const res = await post('/api/admin/users/status', body, { cookie: adminCookie, ...headers });
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorBody).error.code).toBe('CSRF_ORIGIN');
    }
    expect((await t.context.repositories.users.findFirst({ where: { id: target.id } }))?.status).toBe('ACTIVE');

    // Same origin passes; so does a request without cookies (a bearer token cannot be forged by a browser).
    expect((await post('/api/admin/users/status', { ...body, status: 'ACTIVE' }, { cookie: adminCookie, origin: t.url, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    const bearer = decodeURIComponent(adminCookie.split('=')[1]!).split('.')[0]!;
    expect((await post('/api/admin/users/status', { ...body, status: 'ACTIVE' }, { authorization: `Bearer ${bearer}`, origin: 'https://evil.example' })).status).toBe(200);
  });
});
