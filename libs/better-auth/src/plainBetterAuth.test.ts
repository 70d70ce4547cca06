/**
 * The library as an existing Better-Auth app uses it: a plain `betterAuth({...})` with
 * `createBetterAuthPlatform`'s options and a stock `createAuthClient` with our client plugins,
 * on a migrated Postgres — no app, no Fastify. Sign-up and sign-in go through the repository
 * adapter; keys and roles through the plugins.
 */
import { betterAuth } from 'better-auth';
import { createAuthClient } from 'better-auth/client';
import { migratedTestDatabase, type MigratedTestDatabase } from '@libs/database/testing';
import { apiKeyClient, rolesClient } from './client';
import { createBetterAuthPlatform, type BetterAuthPlatform } from './createBetterAuthPlatform';

const baseURL = 'http://localhost:3000';
const secret = 'plain-better-auth-test-secret-0123456789';

describe('a plain Better-Auth server on @libs/better-auth', () => {
  let t: MigratedTestDatabase;
  let platform: BetterAuthPlatform;
  let auth: ReturnType<typeof makeAuth>;
  const makeAuth = (p: BetterAuthPlatform) => betterAuth({ baseURL, secret, emailAndPassword: { enabled: true }, ...p.options });
  const client = () =>
    createAuthClient({ baseURL: `${baseURL}/api/auth`, plugins: [apiKeyClient(), rolesClient()], fetchOptions: { customFetchImpl: (url, init) => auth.handler(new Request(url, init)) } });

  beforeAll(async () => {
    t = await migratedTestDatabase('plain_ba');
    platform = createBetterAuthPlatform({ db: t.client, secret, baseURL });
    auth = makeAuth(platform);
  });
  afterAll(async () => {
    await platform.close();
    await t.close();
  });

  async function signedIn(email: string): Promise<{ headers: Record<string, string>; userId: string }> {
    const c = client();
    const signUp = await c.signUp.email({ email, password: 'correct horse battery', name: 'Plain' });
    expect(signUp.error).toBeNull();
    let cookie = '';
    const signIn = await c.signIn.email({ email, password: 'correct horse battery' }, { onResponse: ({ response }) => void (cookie = response.headers.get('set-cookie')?.split(';')[0] ?? '') });
    expect(signIn.error).toBeNull();
    expect(cookie).toMatch(/^better-auth\.session_token=/);
    return { headers: { cookie }, userId: signIn.data!.user.id };
  }

  it('signs up and in through the repository adapter: the rows are ours', async () => {
    const { headers, userId } = await signedIn('plain@example.com');
    const user = await platform.repositories.users.findById(userId);
    expect(user).toMatchObject({ email: 'plain@example.com', status: 'ACTIVE' });
    const session = await client().getSession({ fetchOptions: { headers } });
    expect(session.data?.user).toMatchObject({ id: userId, status: 'ACTIVE', roleId: null });
    expect(await platform.repositories.sessions.findActiveByUser(userId)).toHaveLength(2); // sign-up's and sign-in's
  });

  it('creates, lists and verifies an API key through the client plugin; a revoked key stops verifying', async () => {
    const { headers } = await signedIn('keys@example.com');
    const c = client();
    const created = await c.apiKey.create({ name: 'ci' }, { headers });
    expect(created.error).toBeNull();
    const { key: plainKey, apiKey } = created.data!;
    expect(plainKey).toMatch(/^sk_/);
    expect((await c.apiKey.list({ fetchOptions: { headers } })).data).toEqual(expect.objectContaining({ apiKeys: [expect.objectContaining({ id: apiKey.id, name: 'ci' })] }));
    expect(await auth.api.verifyApiKey({ body: { key: plainKey } })).toMatchObject({ valid: true, key: { id: apiKey.id } });
    expect((await c.apiKey.revoke({ keyId: apiKey.id, reason: 'test' }, { headers })).error).toBeNull();
    await expect(auth.api.verifyApiKey({ body: { key: plainKey } })).rejects.toMatchObject({ body: { valid: false, code: 'API_KEY_REVOKED' } });
  });

  it('answers a user’s permissions from their role, and refuses role administration without roles:manage', async () => {
    const { headers, userId } = await signedIn('roles@example.com');
    const role = await platform.repositories.roles.create({ name: 'reader' });
    await platform.repositories.roles.addPermissions(role.id, ['orders:read']);
    await platform.repositories.users.updateRole(userId, role.id, 'system');
    const c = client();
    expect((await c.roles.myPermissions({ fetchOptions: { headers } })).data).toMatchObject({ permissions: ['orders:read'] });
    const refused = await c.roles.create({ name: 'admin2', permissions: ['*:*'] }, { headers });
    expect(refused.error).toMatchObject({ status: 403 });
    expect(await platform.repositories.roles.findByName('admin2')).toBeNull();
  });
});
