import type { TestDatabase } from '@tools/test-harness';
import { promoteVerifiedToSystemAdmin } from '../testing/systemAdmin';
import { postJson, signUp, type SignedUpUser } from '../features/betterAuth/testing/users';
import { migratedDatabase, startTestApp, type TestApp } from '../testing/testApp';

/**
 * A key never grants more than its owner holds now: demoting the owner narrows every key of theirs
 * on the next request, on every instance (the change is made on a, the key is used on b).
 */
describe('demoting a key\'s owner narrows the key (two instances, one Postgres, one Redis)', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let admin: SignedUpUser;

  const asAdmin = async (path: string, body: unknown) => {
    const answer = await postJson(`${a.url}/api/auth${path}`, body, { cookie: admin.cookie });
    expect({ path, status: answer.status }).toEqual({ path, status: 200 });
    return answer.body;
  };

  beforeAll(async () => {
    database = await migratedDatabase('keydemotion');
    a = await startTestApp({ database, redis: true });
    b = await startTestApp({ database, redis: true });
    await Promise.all([a.context.cache.ready(), b.context.cache.ready()]);
    admin = await signUp(a.url, 'Admin');
    expect((await promoteVerifiedToSystemAdmin(a.context, admin)).status).toBe('assigned');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  it('answers 403 once the owner loses users:read (permission or role), and 200 again once it is restored', async () => {
    const target = await signUp(a.url, 'Target');
    const owner = await signUp(a.url, 'Key Owner');
    const created = await asAdmin('/roles/create', { name: `readers-${Date.now()}`, permissions: ['users:read'] });
    const roleId = (created['role'] as { id: string }).id;
    await asAdmin('/roles/assign', { userId: owner.id, roleId });
    const made = await postJson(`${a.url}/api/auth/api-key/create`, { name: 'reader', permissions: { users: ['read'] } }, { cookie: owner.cookie });
    expect(made.status).toBe(200);
    const key = made.body['key'] as string;
    const readWithKey = async () => {
      const res = await fetch(`${b.url}/api/admin/users/${target.id}`, { headers: { 'x-api-key': key } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const denied = { status: 403, body: { error: expect.objectContaining({ code: 'PERMISSION_DENIED', permission: 'users:read' }) } };

    // Granted, and cached on b.
    for (let i = 0; i < 3; i++) expect(await readWithKey()).toMatchObject({ status: 200, body: { user: { id: target.id } } });

    // The role loses the permission: the key's grant (users:read) is unchanged, yet it now answers 403.
    await asAdmin('/roles/remove-permissions', { roleId, permissions: ['users:read'] });
    expect(await readWithKey()).toMatchObject(denied);
    await asAdmin('/roles/add-permissions', { roleId, permissions: ['users:read'] });
    expect((await readWithKey()).status).toBe(200);

    // The owner loses the role.
    await asAdmin('/roles/assign', { userId: owner.id, roleId: null });
    expect(await readWithKey()).toMatchObject(denied);
    await asAdmin('/roles/assign', { userId: owner.id, roleId });
    expect((await readWithKey()).status).toBe(200);

    // The key row itself never changed.
    const [row] = await a.context.repositories.apiKeys.listByUser(owner.id);
    expect(row).toMatchObject({ status: 'ACTIVE' });
  });
});
