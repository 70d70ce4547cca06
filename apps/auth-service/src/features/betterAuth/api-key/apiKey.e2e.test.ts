import { createAuthClient } from 'better-auth/client';
import { waitFor, type TestDatabase } from '@tools/test-harness';
import { migratedDatabase, startTestApp, type TestApp } from '../../../testing/testApp';
import { postJson, signUp, WriteCounter, type SignedUpUser } from '../testing/users';
import { apiKeyClient } from '@libs/better-auth/client';

const KEY_SHAPE = /^sk_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$/;

describe('API-key plugin end to end (two instances, one Postgres, one Redis)', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let owner: SignedUpUser;
  let writes: WriteCounter;

  const clientOf = (t: TestApp) => createAuthClient({ baseURL: t.url, plugins: [apiKeyClient()] });
  const verify = (t: TestApp, key: unknown, scopes?: string[]) => postJson(`${t.url}/api/auth/api-key/verify`, { key, ...(scopes ? { scopes } : {}) });
  async function createKey(body: Record<string, unknown> = {}, user = owner): Promise<{ key: string; id: string }> {
    const created = await postJson(`${a.url}/api/auth/api-key/create`, { name: 'k', ...body }, { cookie: user.cookie });
    expect(created.status).toBe(200);
    return { key: created.body['key'] as string, id: (created.body['apiKey'] as { id: string }).id };
  }

  beforeAll(async () => {
    database = await migratedDatabase('apikeys');
    // Usage is written only by the explicit flushes below (no 5 s timer racing a slow machine).
    const env = { API_KEY_USAGE_FLUSH_MS: '3600000' };
    a = await startTestApp({ database, redis: true, env });
    b = await startTestApp({ database, redis: true, env });
    await Promise.all([a.context.cache.ready(), b.context.cache.ready()]);
    owner = await signUp(a.url, 'Key Owner');
    writes = await WriteCounter.install(database.url, ['ApiKey', 'User', 'UserSession', 'UserEvent', 'Account']);
  });
  afterAll(async () => {
    await writes?.close();
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  it('runs the key lifecycle through the client: create (shown once, hash only), list, update, verify, rotate, revoke', async () => {
    const client = clientOf(a);
    const headers = { cookie: owner.cookie };
    const created = await client.apiKey.create({ name: 'ci', scopes: ['orders:read'], expiresIn: 3_600 }, { headers });
    expect(created.error).toBeNull();
    const plainKey = created.data!.key;
    expect(plainKey).toMatch(KEY_SHAPE); // 43 base62 characters of secret ≈ 256 bits
    const row = await a.context.repositories.apiKeys.findById(created.data!.apiKey.id);
    expect(row).toMatchObject({ userId: owner.id, scopes: ['orders:read'], status: 'ACTIVE', createdBy: owner.id });
    expect(row!.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(plainKey.split('_')[2]); // the secret is nowhere in the row
    expect(plainKey.startsWith(row!.keyPreview.split('…')[0])).toBe(true);

    const listed = await client.apiKey.list({ fetchOptions: { headers } });
    expect(listed.data!.apiKeys).toHaveLength(1);
    expect(JSON.stringify(listed.data)).not.toContain(plainKey);
    expect(listed.data!.apiKeys[0]).toMatchObject({ name: 'ci', keyPreview: row!.keyPreview, status: 'ACTIVE' });
    expect(listed.data!.apiKeys[0]).not.toHaveProperty('keyHash');

    const updated = await client.apiKey.update({ keyId: row!.id, name: 'ci-2', scopes: ['orders:read', 'orders:write'], expiresIn: null }, { headers });
    expect(updated.data!.apiKey).toMatchObject({ name: 'ci-2', scopes: ['orders:read', 'orders:write'], expiresAt: null });

    const ok = await verify(a, plainKey, ['orders:write']);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ valid: true, key: { id: row!.id, userId: owner.id, scopes: ['orders:read', 'orders:write'] } });

    const rotated = await client.apiKey.rotate({ keyId: row!.id }, { headers });
    const newKey = rotated.data!.key;
    expect(newKey).toMatch(KEY_SHAPE);
    expect((await verify(a, plainKey)).body).toMatchObject({ valid: false, code: 'API_KEY_REVOKED' });
    expect((await verify(a, newKey)).body).toMatchObject({ valid: true, key: { name: 'ci-2', scopes: ['orders:read', 'orders:write'] } });

    const revoked = await client.apiKey.revoke({ keyId: rotated.data!.apiKey.id, reason: 'leaked' }, { headers });
    expect(revoked.data!.apiKey).toMatchObject({ status: 'REVOKED', revokedBy: owner.id });
    const revokedRow = await a.context.repositories.apiKeys.findById(rotated.data!.apiKey.id);
    expect(revokedRow).toMatchObject({ status: 'REVOKED', revokedBy: owner.id, revokedReason: 'leaked' });
    expect(revokedRow!.revokedAt).toBeInstanceOf(Date);
    const after = await verify(a, newKey);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ valid: false, code: 'API_KEY_REVOKED' });

    const events = await a.context.repositories.events.query({ userId: owner.id, eventType: ['API_KEY_CREATED', 'API_KEY_ROTATED', 'API_KEY_REVOKED'] });
    expect(events.map((e) => e.eventType).sort()).toEqual(['API_KEY_CREATED', 'API_KEY_REVOKED', 'API_KEY_ROTATED']);
  });

  it("refuses someone else's key (404), and key management by API key with 401: the header is no session there", async () => {
    const other = await signUp(a.url, 'Other');
    const { id, key } = await createKey();
    const stolen = await postJson(`${a.url}/api/auth/api-key/revoke`, { keyId: id }, { cookie: other.cookie });
    expect(stolen.status).toBe(404);
    expect(stolen.body).toMatchObject({ code: 'KEY_NOT_FOUND' });
    const byKey = await postJson(`${a.url}/api/auth/api-key/create`, { name: 'from a key' }, { 'x-api-key': key });
    // x-api-key stands in for a session only on the read-only paths (DEFAULT_API_KEY_SESSION_PATHS);
    // elsewhere it is ignored, so a key-only request is unauthenticated, not an authenticated one refused.
    expect(byKey.status).toBe(401);
    expect(byKey.body).toMatchObject({ code: 'UNAUTHORIZED' });
    // Nor on endpoints that change the owner's account: a key is not a password.
    const profile = await postJson(`${a.url}/api/auth/update-user`, { name: 'Renamed by a key' }, { 'x-api-key': key });
    expect(profile.status).toBe(401);
    expect((await a.context.repositories.users.findById(owner.id))!.name).toBe('Key Owner');
    expect(await a.context.repositories.apiKeys.count({ userId: other.id })).toBe(0);
  });

  it('gets and deletes one\'s own key only (the stock endpoints); a deleted key is refused on the other instance, and its row stays', async () => {
    const other = await signUp(a.url, 'Other Deleter');
    const { id, key } = await createKey();
    const get = (user: SignedUpUser) => fetch(`${a.url}/api/auth/api-key/get?id=${id}`, { headers: { cookie: user.cookie } });
    const mine = await get(owner);
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ id, name: 'k', enabled: true, apiKey: { id, status: 'ACTIVE' } });
    expect((await get(other)).status).toBe(404);
    expect(await postJson(`${a.url}/api/auth/api-key/delete`, { keyId: id }, { cookie: other.cookie })).toMatchObject({ status: 404, body: { code: 'KEY_NOT_FOUND' } });
    expect((await verify(b, key)).status).toBe(200);

    expect(await postJson(`${a.url}/api/auth/api-key/delete`, { keyId: id }, { cookie: owner.cookie })).toMatchObject({ status: 200, body: { success: true } });
    expect((await verify(b, key)).body).toMatchObject({ valid: false, code: 'API_KEY_REVOKED' });
    expect((await get(owner)).status).toBe(404);
    expect(await postJson(`${a.url}/api/auth/api-key/revoke`, { keyId: id }, { cookie: owner.cookie })).toMatchObject({ status: 404 });
    const row = await a.context.repositories.apiKeys.findById(id);
    expect(row).toMatchObject({ status: 'REVOKED', revokedBy: owner.id, revokedReason: 'deleted', metadata: { deletedAt: expect.any(String) } });
    expect(await a.context.repositories.events.query({ userId: owner.id, eventType: ['API_KEY_DELETED'] })).toHaveLength(1);
  });

  it('authenticates Better-Auth requests by x-api-key as the key owner', async () => {
    const { key, id } = await createKey({ scopes: ['profile:read'] });
    const response = await fetch(`${b.url}/api/auth/get-session`, { headers: { 'x-api-key': key } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { user: { id: string; email: string }; session: { apiKeyId: string; apiKeyScopes: string[] } };
    expect(body.user).toMatchObject({ id: owner.id, email: owner.email });
    expect(body.session).toMatchObject({ apiKeyId: id, apiKeyScopes: ['profile:read'] });
    const permissions = await fetch(`${b.url}/api/auth/roles/my-permissions`, { headers: { 'x-api-key': key } });
    expect(permissions.status).toBe(200);
  });

  it('rejects a revoked key on the other instance on the very next request', async () => {
    const { key, id } = await createKey();
    for (let i = 0; i < 3; i += 1) expect((await verify(b, key)).status).toBe(200); // cached on b
    const revoked = await postJson(`${a.url}/api/auth/api-key/revoke`, { keyId: id }, { cookie: owner.cookie });
    expect(revoked.status).toBe(200);
    const next = await verify(b, key);
    expect(next.status).toBe(401);
    expect(next.body).toMatchObject({ code: 'API_KEY_REVOKED' });
    const viaHeader = await fetch(`${b.url}/api/auth/get-session`, { headers: { 'x-api-key': key } });
    expect(viaHeader.status).toBe(401);
  });

  it('an update of a key\'s scopes on one instance is what the other instance enforces on the very next request', async () => {
    const { key, id } = await createKey({ scopes: ['orders:read'] });
    const scopesOnB = async () => ((await (await fetch(`${b.url}/api/auth/get-session`, { headers: { 'x-api-key': key } })).json()) as { session: { apiKeyScopes: string[] } }).session.apiKeyScopes;
    // Cached on b with its old grant.
    for (let i = 0; i < 3; i += 1) expect((await verify(b, key, ['orders:read'])).status).toBe(200);
    expect((await verify(b, key, ['orders:write'])).body).toMatchObject({ valid: false, code: 'INSUFFICIENT_SCOPE' });
    expect(await scopesOnB()).toEqual(['orders:read']);

    const updated = await postJson(`${a.url}/api/auth/api-key/update`, { keyId: id, scopes: ['orders:write'] }, { cookie: owner.cookie });
    expect(updated.status).toBe(200);
    const widened = await verify(b, key, ['orders:write']);
    expect(widened.status).toBe(200);
    expect(widened.body).toMatchObject({ valid: true, key: { id, scopes: ['orders:write'] } });
    expect((await verify(b, key, ['orders:read'])).body).toMatchObject({ valid: false, code: 'INSUFFICIENT_SCOPE' });
    expect(await scopesOnB()).toEqual(['orders:write']);

    // And back: narrowing is seen just as soon.
    expect((await postJson(`${a.url}/api/auth/api-key/update`, { keyId: id, scopes: ['orders:read'] }, { cookie: owner.cookie })).status).toBe(200);
    expect((await verify(b, key, ['orders:write'])).body).toMatchObject({ valid: false, code: 'INSUFFICIENT_SCOPE' });
    expect(await scopesOnB()).toEqual(['orders:read']);
  });

  it('serves 1,000 verifications with no per-request write, and the right usageCount after the flush', async () => {
    const { key, id } = await createKey({ rateLimit: { max: 100_000, windowMs: 60_000 } });
    await a.context.repositories.apiKeys.flushUsage();
    const before = await writes.count();
    const usageBefore = await writes.usage(id);
    let ok = 0;
    for (let batch = 0; batch < 40; batch += 1) {
      const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => verify((batch + i) % 2 ? a : b, key)));
      ok += answers.filter((r) => r.status === 200).length;
    }
    expect(ok).toBe(1_000);
    // Nothing is written per verification: the usage waits in memory for the flush.
    expect((await writes.count()) - before).toBe(0);
    await Promise.all([a.context.repositories.apiKeys.flushUsage(), b.context.repositories.apiKeys.flushUsage()]);
    const usage = await writes.usage(id);
    expect(usage.usageCount - usageBefore.usageCount).toBe(1_000);
    expect(usage.lastUsedAt).toBeInstanceOf(Date);
    expect((await writes.count()) - before).toBeLessThanOrEqual(2); // one batched write per instance
  });

  it('answers 429 with Retry-After past the key limit, counted across instances, then recovers', async () => {
    // 5 s: the four calls below fit in one window even on a loaded machine (1 s did not).
    const { key } = await createKey({ rateLimit: { max: 3, windowMs: 5_000 } });
    expect((await verify(a, key)).status).toBe(200);
    expect((await verify(b, key)).status).toBe(200);
    expect((await verify(a, key)).status).toBe(200);
    const limited = await verify(b, key);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ valid: false, code: 'RATE_LIMITED' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    const viaHeader = await fetch(`${a.url}/api/auth/get-session`, { headers: { 'x-api-key': key } });
    expect(viaHeader.status).toBe(429);
    expect(viaHeader.headers.get('retry-after')).not.toBeNull();
    // The window lives in Redis (its clock, shared by both instances): wait for it to end with a
    // deadline instead of a fixed sleep; every answer until then is the same 429.
    const meanwhile = new Set<number>();
    await waitFor(async () => {
      const { status } = await verify(a, key);
      if (status !== 200) {
        meanwhile.add(status);
        throw new Error('still limited');
      }
    }, 15_000, 'the key limit window to end');
    expect([...meanwhile].filter((status) => status !== 429)).toEqual([]);
  });

  it('answers wrong, malformed, truncated, over-long and missing keys with the same 401 and no exception', async () => {
    const { key } = await createKey();
    const candidates: unknown[] = [
      key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'), // wrong secret
      'not-a-key',
      key.slice(0, 20), // truncated
      key + 'x'.repeat(10_000), // over-long
      `sk_${'A'.repeat(12)}_${'B'.repeat(43)}`, // well-formed, unknown
      '',
    ];
    const bodies = new Set<string>();
    const headerBodies = new Set<string>();
    for (const candidate of candidates) {
      const answer = await verify(a, candidate);
      expect(answer.status).toBe(401);
      bodies.add(JSON.stringify(answer.body));
      const header = await fetch(`${a.url}/api/auth/get-session`, { headers: { 'x-api-key': String(candidate) || ' ' } });
      if (candidate !== '') {
        expect(header.status).toBe(401);
        headerBodies.add(JSON.stringify(await header.json()));
      }
    }
    const invalid = { code: 'INVALID_API_KEY', message: 'Invalid API key' };
    // verify also answers the stock plugin's `error` and `key` fields
    expect([...bodies]).toEqual([JSON.stringify({ valid: false, ...invalid, error: invalid, key: null })]);
    expect([...headerBodies]).toEqual([JSON.stringify(invalid)]);
    expect(a.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
    expect(a.logs.join('\n')).not.toContain(key);
  });

  it('enforces scopes (`*` grants all)', async () => {
    const { key } = await createKey({ scopes: ['orders:read'] });
    const missing = await verify(a, key, ['orders:read', 'orders:write']);
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ valid: false, code: 'INSUFFICIENT_SCOPE', missingScopes: ['orders:write'] });
    expect((await verify(a, key, ['orders:read'])).status).toBe(200);
    const { key: all } = await createKey({ scopes: ['*'] });
    expect((await verify(a, all, ['anything:at-all'])).status).toBe(200);
  });

  it('fails the key of a banned or deleted user, and an expired key (EXPIRED)', async () => {
    const banned = await signUp(a.url, 'To Ban');
    const { key: bannedKey } = await createKey({}, banned);
    expect((await verify(b, bannedKey)).status).toBe(200);
    await a.context.repositories.users.update(banned.id, { status: 'BANNED', updatedBy: owner.id });
    expect((await verify(b, bannedKey)).body).toMatchObject({ code: 'INVALID_API_KEY' });

    const deleted = await signUp(a.url, 'To Delete');
    const { key: deletedKey } = await createKey({}, deleted);
    expect((await verify(b, deletedKey)).status).toBe(200);
    await a.context.repositories.users.softDelete(deleted.id, owner.id);
    expect((await verify(b, deletedKey)).status).toBe(401);

    const { key: expiring, id } = await createKey({ expiresIn: 60 });
    await a.context.repositories.apiKeys.update(id, { expiresAt: new Date(Date.now() - 1_000) });
    const expired = await verify(b, expiring);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ code: 'API_KEY_EXPIRED' });
    const listed = await postJson(`${a.url}/api/auth/api-key/list`, {}, { cookie: owner.cookie }).catch(() => undefined);
    expect(listed?.status).not.toBe(200); // list is GET
    const list = await fetch(`${a.url}/api/auth/api-key/list`, { headers: { cookie: owner.cookie } });
    const view = ((await list.json()) as { apiKeys: Array<{ id: string; status: string }> }).apiKeys.find((k) => k.id === id);
    expect(view?.status).toBe('EXPIRED');
    // The verifier's background sweep marks the row itself.
    await waitFor(async () => {
      if ((await a.context.repositories.apiKeys.findById(id))?.status !== 'EXPIRED') throw new Error('not expired yet');
    }, 10_000, 'the key to be marked EXPIRED');
    expect((await a.context.repositories.apiKeys.findById(id))?.status).toBe('EXPIRED');
  });

  it('lists both plugins in the OpenAPI reference', async () => {
    const response = await fetch(`${a.url}/api/auth/open-api/generate-schema`);
    expect(response.status).toBe(200);
    const schema = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(schema.paths)).toEqual(expect.arrayContaining(['/api-key/create', '/api-key/verify', '/api-key/rotate', '/roles/create', '/roles/assign', '/roles/has-permission']));
  });
});
