/**
 * A client of the stock `@better-auth/api-key` plugin, unchanged, against our plugin: the stock
 * `apiKeyClient` on a stock `createAuthClient`, a plain `betterAuth({...platform.options})` on a
 * migrated Postgres. create / get / list / update / delete answer what the stock client's types
 * say; verify (server-only in the stock plugin) takes the stock body and answers its fields.
 */
import { createAuthClient } from 'better-auth/client';
import { apiKeyClient as stockApiKeyClient, type ApiKey as StockApiKey } from '@better-auth/api-key/client';
import { plainAuthWorld, type PlainAuthWorld } from '../../testing/plainAuth';
import type { StockKeyFields } from './stockView';

// Compile-time: every field of ours is what the stock type says (the stock type minus its hash).
const fieldsMatchTheStockType = (fields: StockKeyFields): Omit<StockApiKey, 'key'> => fields;
void fieldsMatchTheStockType;

const isDate = (v: unknown) => v instanceof Date || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));
const orNull = (check: (v: unknown) => boolean) => (v: unknown) => v === null || check(v);
const str = (v: unknown) => typeof v === 'string';
const num = (v: unknown) => typeof v === 'number';
const obj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The stock `ApiKey` type (without the hash `key`), checked field by field at runtime. */
const STOCK_KEY_SHAPE: Record<keyof Omit<StockApiKey, 'key'>, (v: unknown) => boolean> = {
  id: str,
  configId: str,
  name: orNull(str),
  start: orNull(str),
  prefix: orNull(str),
  referenceId: str,
  refillInterval: orNull(num),
  refillAmount: orNull(num),
  lastRefillAt: orNull(isDate),
  enabled: (v) => typeof v === 'boolean',
  rateLimitEnabled: (v) => typeof v === 'boolean',
  rateLimitTimeWindow: orNull(num),
  rateLimitMax: orNull(num),
  requestCount: num,
  remaining: orNull(num),
  lastRequest: orNull(isDate),
  expiresAt: orNull(isDate),
  createdAt: isDate,
  updatedAt: isDate,
  metadata: orNull(obj),
  permissions: (v) => v === undefined || v === null || obj(v),
};
const offStockShape = (value: unknown): string[] =>
  Object.entries(STOCK_KEY_SHAPE)
    .filter(([field, check]) => !check((value as Record<string, unknown>)[field]))
    .map(([field]) => `${field}=${JSON.stringify((value as Record<string, unknown>)[field])}`);

describe('the stock @better-auth/api-key client against our plugin', () => {
  let w: PlainAuthWorld;
  let auth: PlainAuthWorld['auth'];
  let platform: PlainAuthWorld['platform'];
  const client = () => createAuthClient({ baseURL: w.clientBaseURL, plugins: [stockApiKeyClient()], fetchOptions: w.fetchOptions });
  const signedIn = (email: string) => w.signedIn(email);

  beforeAll(async () => {
    w = await plainAuthWorld('stock_client');
    ({ auth, platform } = w);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('create / get / list / update / delete answer the stock shapes; a deleted key stops verifying and is gone from get and list', async () => {
    const { headers, userId } = await signedIn('stock@example.com');
    const c = client();

    const created = await c.apiKey.create({ name: 'ci', expiresIn: 7 * 86_400, prefix: 'sk_', metadata: { team: 'ops' } }, { headers });
    expect(created.error).toBeNull();
    const key = created.data!;
    expect(offStockShape(key)).toEqual([]);
    expect(key).toMatchObject({ name: 'ci', prefix: 'sk', referenceId: userId, enabled: true, metadata: { team: 'ops' }, permissions: null });
    expect(key.key).toMatch(/^sk_/);
    expect(key.start && key.key.startsWith(key.start)).toBe(true);

    const got = await c.apiKey.get({ query: { id: key.id }, fetchOptions: { headers } });
    expect(got.error).toBeNull();
    expect(offStockShape(got.data)).toEqual([]);
    expect(got.data).toMatchObject({ id: key.id, name: 'ci', metadata: { team: 'ops' } });
    expect(got.data).not.toHaveProperty('key');

    const listed = await c.apiKey.list({ query: { limit: 10, sortBy: 'createdAt', sortDirection: 'desc' }, fetchOptions: { headers } });
    expect(listed.error).toBeNull();
    expect(listed.data).toMatchObject({ total: 1, limit: 10 });
    expect(listed.data!.apiKeys.map((k) => k.id)).toEqual([key.id]);
    expect(listed.data!.apiKeys.flatMap(offStockShape)).toEqual([]);

    const updated = await c.apiKey.update({ keyId: key.id, name: 'ci-2', enabled: false, metadata: { team: 'dev' } }, { headers });
    expect(updated.error).toBeNull();
    expect(offStockShape(updated.data)).toEqual([]);
    expect(updated.data).toMatchObject({ id: key.id, name: 'ci-2', enabled: false, metadata: { team: 'dev' } });
    await expect(auth.api.verifyApiKey({ body: { key: key.key } })).rejects.toMatchObject({ body: { valid: false, error: { code: 'API_KEY_INACTIVE' }, key: null } });
    expect((await c.apiKey.update({ keyId: key.id, enabled: true }, { headers })).data).toMatchObject({ enabled: true });
    expect(await auth.api.verifyApiKey({ body: { key: key.key } })).toMatchObject({ valid: true, error: null, key: { id: key.id, referenceId: userId, enabled: true } });

    const gone = await c.apiKey.delete({ keyId: key.id }, { headers });
    expect(gone.error).toBeNull();
    expect(gone.data).toEqual({ success: true });
    await expect(auth.api.verifyApiKey({ body: { key: key.key } })).rejects.toMatchObject({ body: { valid: false, error: { code: 'API_KEY_REVOKED' } } });
    expect((await c.apiKey.get({ query: { id: key.id }, fetchOptions: { headers } })).error).toMatchObject({ status: 404, code: 'KEY_NOT_FOUND' });
    expect((await c.apiKey.list({ fetchOptions: { headers } })).data).toMatchObject({ apiKeys: [], total: 0 });
    expect((await c.apiKey.delete({ keyId: key.id }, { headers })).error).toMatchObject({ status: 404, code: 'KEY_NOT_FOUND' });
    // The audit trail stays: the row, revoked by its owner.
    expect(await platform.repositories.apiKeys.findById(key.id)).toMatchObject({ status: 'REVOKED', revokedBy: userId, revokedReason: 'deleted' });
  });

  it('verify takes the stock body — the key and the permission map — and keys take the map as their grant', async () => {
    const { headers } = await signedIn('stock-verify@example.com');
    const role = await platform.repositories.roles.create({ name: 'order-clerk' });
    await platform.repositories.roles.addPermissions(role.id, ['orders:read', 'orders:write']);
    const me = (await client().getSession({ fetchOptions: { headers } })).data!.user.id;
    await platform.repositories.users.updateRole(me, role.id, 'system');

    // `permissions` is server-only in the stock plugin; here a user may grant their key what they hold.
    const created = await auth.api.createApiKey({ body: { name: 'orders', permissions: { orders: ['read'] } }, headers });
    expect(created.permissions).toEqual({ orders: ['read'] });
    expect(await auth.api.verifyApiKey({ body: { key: created.key, permissions: { orders: ['read'] } } })).toMatchObject({ valid: true, error: null, key: { permissions: { orders: ['read'] } } });
    await expect(auth.api.verifyApiKey({ body: { key: created.key, permissions: { orders: ['write'] } } })).rejects.toMatchObject({
      statusCode: 403,
      body: { valid: false, error: { code: 'INSUFFICIENT_SCOPE' }, missingScopes: ['orders:write'], key: null },
    });
  });

  it('refuses, with 400 UNSUPPORTED_FIELD naming it, a stock field this plugin does not implement', async () => {
    const { headers } = await signedIn('stock-refused@example.com');
    const c = client();
    const quota = await c.apiKey.create({ name: 'quota', remaining: 100 } as never, { headers });
    expect(quota.error).toMatchObject({ status: 400, code: 'UNSUPPORTED_FIELD', field: 'remaining' });
    const key = (await c.apiKey.create({ name: 'k' }, { headers })).data!;
    const refill = await c.apiKey.update({ keyId: key.id, refillAmount: 10, refillInterval: 1_000 } as never, { headers });
    expect(refill.error).toMatchObject({ status: 400, code: 'UNSUPPORTED_FIELD', field: 'refillAmount' });
    expect(await platform.repositories.apiKeys.count({ userId: key.referenceId })).toBe(1);
  });
});
