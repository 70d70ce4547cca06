import { Client } from 'pg';
import { waitFor, type PostgresWithReplica } from '@tools/test-harness';
import { postJson, signUp, type SignedUpUser } from '../features/betterAuth/testing/users';
import { ADMIN_PERMISSIONS } from '../features/admin/adminRoutes';
import { startAppOnReplicatedPostgres, type TestApp } from '../testing/testApp';

/** One value straight from the (paused) replica: proves it still holds the old state. */
async function onReplica<T>(url: string, sql: string, params: unknown[]): Promise<T | undefined> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows[0] as T | undefined;
  } finally {
    await client.end();
  }
}

/**
 * Status, session and permission reads go to the primary, whatever the replica says: with replay
 * paused (the replica keeps the old rows), a ban, an ended session and a removed permission are
 * refused on the next request. Read-your-writes is off (0 ms), so no "recent writer" window sends
 * these reads to the primary by accident; a lag-tolerant listing is shown to still read the replica.
 */
describe('access reads ignore a paused replica (real primary + streaming replica)', () => {
  let pg: PostgresWithReplica;
  let t: TestApp;
  let admin: SignedUpUser;

  const sessionOf = async (cookie: string) => (await (await fetch(`${t.url}/api/auth/get-session`, { headers: { cookie } })).json()) as { user: { id: string } } | null;
  const readUser = (caller: SignedUpUser, userId: string) => fetch(`${t.url}/api/admin/users/${userId}`, { headers: { cookie: caller.cookie } });
  const replicaReady = () =>
    waitFor(async () => {
      const body = (await (await fetch(`${t.url}/health/ready`)).json()) as { dependencies: { replicas: unknown } };
      expect(body.dependencies.replicas).toMatchObject({ healthy: true, replicas: [{ state: 'ready' }] });
    }, 30_000, 'the replica ready in /health/ready');
  const paused = async () => {
    await pg.waitForCatchUp();
    await replicaReady();
    await pg.pauseReplay();
  };

  beforeAll(async () => {
    ({ pg, app: t } = await startAppOnReplicatedPostgres({ redis: true, env: { DATABASE_READ_YOUR_WRITES_MS: '0' } }));
    const role = await t.context.repositories.roles.create({ name: `replica-read-admins-${Date.now()}` });
    await t.context.repositories.roles.addPermissions(role.id, Object.values(ADMIN_PERMISSIONS));
    admin = await signUp(t.url, 'Admin');
    await t.context.repositories.users.updateRole(admin.id, role.id, 'test');
  });
  afterAll(async () => {
    await t?.close();
    await pg?.stop();
  });
  afterEach(async () => {
    await pg.resumeReplay().catch(() => undefined);
  });

  it('a ban is refused at once (session and API key), while a listing still reads the stale replica', async () => {
    const victim = await signUp(t.url, 'Victim');
    const made = await postJson(`${t.url}/api/auth/api-key/create`, { name: 'k' }, { cookie: victim.cookie });
    expect(made.status).toBe(200);
    const key = made.body['key'] as string;
    expect((await sessionOf(victim.cookie))?.user.id).toBe(victim.id);
    expect((await postJson(`${t.url}/api/auth/api-key/verify`, { key })).status).toBe(200);
    await paused();

    await t.context.repositories.users.batchUpdateStatus([victim.id], 'BANNED', admin.id, 'replica test');
    expect(await onReplica<{ status: string }>(pg.replicaUrl, 'SELECT status FROM "User" WHERE id = $1', [victim.id])).toEqual({ status: 'ACTIVE' });
    expect(await sessionOf(victim.cookie)).toBeNull();
    expect((await postJson(`${t.url}/api/auth/api-key/verify`, { key })).body).toMatchObject({ valid: false });
    // The app does use the replica where lag is tolerated: the search does not see the ban yet.
    const search = await fetch(`${t.url}/api/admin/users?email=${encodeURIComponent(victim.email)}&status=BANNED`, { headers: { cookie: admin.cookie } });
    expect(((await search.json()) as { total: number }).total).toBe(0);
  });

  it('an ended session is refused at once', async () => {
    const user = await signUp(t.url, 'Session owner');
    expect((await sessionOf(user.cookie))?.user.id).toBe(user.id);
    const [session] = await t.context.repositories.sessions.findActiveByUser(user.id);
    await paused();

    await t.context.repositories.sessions.end(session!.id, { reason: 'revoked', by: admin.id });
    expect(await onReplica<{ isActive: boolean }>(pg.replicaUrl, 'SELECT "isActive" FROM "UserSession" WHERE id = $1', [session!.id])).toEqual({ isActive: true });
    expect(await sessionOf(user.cookie)).toBeNull();
  });

  it('a removed permission is refused at once', async () => {
    const role = await t.context.repositories.roles.create({ name: `replica-readers-${Date.now()}` });
    await t.context.repositories.roles.addPermissions(role.id, ['users:read']);
    const reader = await signUp(t.url, 'Reader');
    await t.context.repositories.users.updateRole(reader.id, role.id, 'test');
    expect((await readUser(reader, admin.id)).status).toBe(200);
    await paused();

    await t.context.repositories.roles.removePermissions(role.id, ['users:read']);
    const stale = await onReplica<{ n: string }>(pg.replicaUrl, 'SELECT count(*)::text AS n FROM "RolePermission" WHERE "roleId" = $1', [role.id]);
    expect(stale).toEqual({ n: '1' });
    const refused = await readUser(reader, admin.id);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'PERMISSION_DENIED', permission: 'users:read' } });
  });
});
