import { startTestApp, type TestApp } from '../../testing/testApp';
import { ADMIN_PERMISSIONS } from './adminRoutes';

const json = { 'content-type': 'application/json' };

describe('admin routes on the AuthDataLayer (permission-guarded)', () => {
  let t: TestApp;
  let adminCookie: string;
  let plainCookie: string;
  let roleId: string;

  const signedIn = async (tag: string) => {
    const email = `${tag}-${Date.now()}@example.com`;
    const password = 'administrator password';
    await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password, name: tag }) });
    const user = await t.context.repositories.users.findByEmail(email);
    const signIn = async () => (await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) })).headers.get('set-cookie')!.split(';')[0];
    return { user: user!, signIn };
  };

  beforeAll(async () => {
    t = await startTestApp();
    const role = await t.context.repositories.roles.create({ name: `admins-${Date.now()}` });
    roleId = role.id;
    await t.context.repositories.roles.addPermissions(role.id, Object.values(ADMIN_PERMISSIONS));
    const admin = await signedIn('admin');
    await t.context.repositories.users.updateRole(admin.user.id, role.id, 'test');
    adminCookie = await admin.signIn();
    plainCookie = await (await signedIn('plain')).signIn();
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(`${t.url}${path}`, { method: 'POST', headers: { ...json, ...(cookie ? { cookie, origin: t.url } : {}) }, body: JSON.stringify(body) });

  it('refuses callers without an identity (401) or without the permission (403)', async () => {
    expect((await post('/api/admin/users', { email: 'x@example.com', name: 'X', roleId })).status).toBe(401);
    expect((await post('/api/admin/users', { email: 'x@example.com', name: 'X', roleId }, plainCookie)).status).toBe(403);
    expect((await fetch(`${t.url}/api/admin/metrics`, { headers: { cookie: plainCookie } })).status).toBe(403);
  });

  it('creates a user with a role in one transaction, and rejects bad input writing nothing', async () => {
    const created = await post('/api/admin/users', { email: 'made-by-admin@example.com', name: 'Made', roleId }, adminCookie);
    expect(created.status).toBe(201);
    const row = await t.context.repositories.users.findByEmail('made-by-admin@example.com');
    expect(row).toMatchObject({ roleId, name: 'Made' });

    const before = await t.context.repositories.users.count();
    const unknownRole = await post('/api/admin/users', { email: 'no-role@example.com', name: 'No', roleId: 'missing-role' }, adminCookie);
    expect(unknownRole.status).toBeGreaterThanOrEqual(400);
    const bad = await post('/api/admin/users', { email: 'not-an-email', name: 'Bad', roleId, extra: true }, adminCookie);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION');
    expect(await t.context.repositories.users.count()).toBe(before);

    const found = await fetch(`${t.url}/api/admin/users/by-email?email=made-by-admin@example.com`, { headers: { cookie: adminCookie } });
    expect(((await found.json()) as { user: Record<string, unknown> }).user).not.toHaveProperty('auditLog');
  });

  it('bans many users at once, ending their sessions, and reports the data layer metrics', async () => {
    const a = await signedIn('victim-a');
    const b = await signedIn('victim-b');
    const cookieA = await a.signIn();
    const res = await post('/api/admin/users/status', { userIds: [a.user.id, b.user.id], status: 'BANNED', reason: 'abuse' }, adminCookie);
    expect(await res.json()).toEqual({ updated: 2 });
    expect(await (await fetch(`${t.url}/api/auth/get-session`, { headers: { cookie: cookieA } })).json()).toBeNull();

    const metrics = (await (await fetch(`${t.url}/api/admin/metrics`, { headers: { cookie: adminCookie } })).json()) as {
      repositories: Record<string, { operationCount: number }>;
      collector: { operationCount: number };
    };
    expect(metrics.repositories.users.operationCount).toBeGreaterThan(0);
    expect(metrics.collector.operationCount).toBeGreaterThan(0);
  });
});
