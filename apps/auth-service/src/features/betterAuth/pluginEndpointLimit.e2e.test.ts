import { startTestApp, type TestApp } from '../../testing/testApp';
import { postJson, signUp, type SignedUpUser } from './testing/users';

/**
 * The per-user budget (AUTH_PRINCIPAL_LIMIT_PER_MINUTE) through the real app: the plugins'
 * endpoints (/api/auth/api-key/*, /api/auth/roles/*) and the guarded Fastify routes spend the same
 * bucket; an API key standing in for its owner does not spend the owner's.
 */
describe('per-user limit on the plugin endpoints (AUTH_RATE_LIMIT=on, AUTH_PRINCIPAL_LIMIT_PER_MINUTE=4)', () => {
  let t: TestApp;
  let alice: SignedUpUser;
  let bob: SignedUpUser;
  const get = (path: string, headers: Record<string, string>) => fetch(`${t.url}${path}`, { headers });

  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: 'on', AUTH_PRINCIPAL_LIMIT_PER_MINUTE: '4', AUTH_ADDRESS_LIMIT_PER_MINUTE: '1000' } });
    alice = await signUp(t.url, 'Alice');
    bob = await signUp(t.url, 'Bob');
  });
  afterAll(() => t?.close());

  it('a user past its budget gets 429 RATE_LIMITED with Retry-After on roles and api-key endpoints and the admin routes; nothing is written; others go on', async () => {
    const cookie = { cookie: alice.cookie };
    expect((await get('/api/auth/roles/my-permissions', cookie)).status).toBe(200);
    expect((await get('/api/auth/api-key/list', cookie)).status).toBe(200);
    expect((await postJson(`${t.url}/api/auth/api-key/create`, { name: 'first' }, cookie)).status).toBe(200);
    expect((await postJson(`${t.url}/api/auth/roles/has-permission`, { permission: 'users:read' }, cookie)).status).toBe(200);

    const refused = await postJson(`${t.url}/api/auth/api-key/create`, { name: 'second' }, cookie);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringContaining('account') } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await t.context.repositories.apiKeys.listByUser(alice.id, { includeInactive: true })).map((k) => k.name)).toEqual(['first']);

    const roles = await get('/api/auth/roles/list', cookie);
    expect(roles.status).toBe(429);
    expect(await roles.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // One budget: the guarded Fastify routes refuse her too (before the permission check).
    const admin = await get('/api/admin/users/stats', cookie);
    expect(admin.status).toBe(429);
    expect(admin.headers.get('retry-after')).not.toBeNull();

    expect((await get('/api/auth/roles/my-permissions', { cookie: bob.cookie })).status).toBe(200);
  });

  it("an API key standing in for its owner spends its own and the address's budget, not the owner's", async () => {
    const created = await postJson(`${t.url}/api/auth/api-key/create`, { name: 'bob-key' }, { cookie: bob.cookie }); // bob: 2 of 4
    expect(created.status).toBe(200);
    const key = { 'x-api-key': created.body['key'] as string };
    for (let i = 0; i < 5; i++) expect((await get('/api/auth/roles/my-permissions', key)).status).toBe(200);
    expect((await get('/api/auth/roles/my-permissions', { cookie: bob.cookie })).status).toBe(200); // 3
    expect((await get('/api/auth/api-key/list', { cookie: bob.cookie })).status).toBe(200); // 4
    expect((await get('/api/auth/api-key/list', { cookie: bob.cookie })).status).toBe(429);
  });
});

/**
 * The per-address budget behind a trusted proxy: the plugin endpoints count the client the
 * Fastify routes count (http/clientAddress.ts, handed over by the bridge), not a header entry a
 * client wrote.
 */
describe('per-address limit behind a trusted proxy (TRUST_PROXY=127.0.0.1, AUTH_ADDRESS_LIMIT_PER_MINUTE=4)', () => {
  let t: TestApp;
  let carol: SignedUpUser;
  // The test connects from 127.0.0.1, the trusted proxy: the last X-Forwarded-For entry is the client.
  const from = (chain: string) => ({ cookie: carol.cookie, 'x-forwarded-for': chain });
  const get = (path: string, headers: Record<string, string>) => fetch(`${t.url}${path}`, { headers });

  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: 'on', TRUST_PROXY: '127.0.0.1', AUTH_PRINCIPAL_LIMIT_PER_MINUTE: '1000', AUTH_ADDRESS_LIMIT_PER_MINUTE: '4' } });
    carol = await signUp(t.url, 'Carol');
  });
  afterAll(() => t?.close());

  it('a plugin endpoint and a Fastify route spend one bucket of the client the proxy names; a client-written entry to its left changes nothing', async () => {
    const A = '203.0.113.7';
    const B = '203.0.113.8';
    // Four requests of A: two on the plugin endpoints, two on a guarded Fastify route (which counts before its permission check).
    expect((await get('/api/auth/roles/my-permissions', from(A))).status).toBe(200);
    expect((await get('/api/admin/users/stats', from(A))).status).not.toBe(429);
    expect((await get('/api/auth/api-key/list', from(`198.51.100.1, ${A}`))).status).toBe(200);
    expect((await get('/api/admin/users/stats', from(`198.51.100.2, ${A}`))).status).not.toBe(429);

    const plugin = await get('/api/auth/roles/my-permissions', from(`198.51.100.3, ${A}`));
    expect(plugin.status).toBe(429);
    expect(await plugin.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringContaining('address') } });
    expect(plugin.headers.get('retry-after')).not.toBeNull();
    const route = await get('/api/admin/users/stats', from(A));
    expect(route.status).toBe(429);
    expect(await route.json()).toMatchObject({ error: { code: 'RATE_LIMITED', message: expect.stringContaining('address') } });

    // B behind the same proxy, naming A as a client-written entry: B's own bucket, on both sides.
    expect((await get('/api/auth/roles/my-permissions', from(`${A}, ${B}`))).status).toBe(200);
    expect((await get('/api/admin/users/stats', from(B))).status).not.toBe(429);
  });
});
