import { waitFor, type PostgresWithReplica } from '@tools/test-harness';
import { ADMIN_PERMISSIONS } from '../features/admin/adminRoutes';
import { startAppOnReplicatedPostgres, type TestApp } from '../testing/testApp';

const json = { 'content-type': 'application/json' };

interface Readiness {
  status: string;
  openBreakers: string[];
  dependencies: { replicas: { healthy: boolean; required: boolean; replicas: Array<{ name: string; state: string; lagSeconds: number | null }> } };
}

describe('auth-service with a read replica (real primary + streaming replica)', () => {
  let pg: PostgresWithReplica;
  let t: TestApp;
  let adminA: string;
  let adminB: string;
  let roleId: string;

  const ready = async () => (await (await fetch(`${t.url}/health/ready`)).json()) as Readiness;
  const search = async (cookie: string, email: string) => {
    const res = await fetch(`${t.url}/api/admin/users?email=${encodeURIComponent(email)}`, { headers: { cookie } });
    return { status: res.status, total: ((await res.json()) as { total?: number }).total };
  };
  const admin = async (tag: string, roleId: string) => {
    const email = `${tag}-${Date.now()}@example.com`;
    const password = 'administrator password';
    await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password, name: tag }) });
    const user = await t.context.repositories.users.findByEmail(email);
    await t.context.repositories.users.updateRole(user!.id, roleId, 'test');
    const res = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const replicaReady = () => waitFor(async () => expect((await ready()).dependencies.replicas).toMatchObject({ healthy: true, replicas: [{ state: 'ready' }] }), 30_000, 'the replica ready in /health/ready');

  beforeAll(async () => {
    ({ pg, app: t } = await startAppOnReplicatedPostgres({ env: { DATABASE_READ_YOUR_WRITES_MS: '30000' } }));
    const role = await t.context.repositories.roles.create({ name: `replica-admins-${Date.now()}` });
    await t.context.repositories.roles.addPermissions(role.id, Object.values(ADMIN_PERMISSIONS));
    roleId = role.id;
    adminA = await admin('admin-a', role.id);
    adminB = await admin('admin-b', role.id);
    await pg.waitForCatchUp();
  });
  afterAll(async () => {
    await t?.close();
    await pg?.stop();
  });
  afterEach(async () => {
    await pg.resumeReplay().catch(() => undefined);
    if (!pg.replica.running) await pg.startReplica();
  });

  it('reports the replica in /health/ready and exports its lag and state', async () => {
    await replicaReady();
    const body = await ready();
    expect(body).toMatchObject({ status: 'ready', dependencies: { replicas: { required: false, replicas: [{ name: 'postgres-replica', lagSeconds: 0 }] } } });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/^database_replica_lag_seconds\{[^}]*replica="postgres-replica"[^}]*\} 0$/m);
    expect(metrics).toMatch(/^database_replica_up\{[^}]*replica="postgres-replica"[^}]*\} 1$/m);
  });

  it("an admin's search after their own write reads the primary; another admin's reads the (paused) replica", async () => {
    await replicaReady();
    await pg.pauseReplay();
    const email = `made-under-lag-${Date.now()}@example.com`;
    const created = await fetch(`${t.url}/api/admin/users`, { method: 'POST', headers: { ...json, cookie: adminA, origin: t.url }, body: JSON.stringify({ email, name: 'Lag', roleId }) });
    expect(created.status).toBe(201);
    expect(await search(adminA, email)).toEqual({ status: 200, total: 1 });
    expect(await search(adminB, email)).toEqual({ status: 200, total: 0 });
    await pg.resumeReplay();
    await waitFor(async () => expect(await search(adminB, email)).toEqual({ status: 200, total: 1 }), 30_000, 'the user visible to admin B');
  });

  it('stays ready with the replica stopped: searches answer from the primary, the replica shows as down', async () => {
    await replicaReady();
    const email = `made-before-outage-${Date.now()}@example.com`;
    expect((await fetch(`${t.url}/api/admin/users`, { method: 'POST', headers: { ...json, cookie: adminA, origin: t.url }, body: JSON.stringify({ email, name: 'Outage', roleId }) })).status).toBe(201);
    await pg.stopReplica();
    for (let i = 0; i < 5; i++) expect(await search(adminB, email)).toEqual({ status: 200, total: 1 });
    await waitFor(async () => expect((await ready()).dependencies.replicas).toMatchObject({ healthy: false, replicas: [{ state: 'down' }] }), 10_000, 'the replica down in /health/ready');
    const res = await fetch(`${t.url}/health/ready`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Readiness).openBreakers).toEqual([]);
    await pg.startReplica();
    await replicaReady();
  });
});
