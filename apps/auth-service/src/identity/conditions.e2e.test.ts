import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { TestDatabase } from '@tools/test-harness';
import { promoteVerifiedToSystemAdmin } from '../testing/systemAdmin';
import { postJson, signUp, type SignedUpUser } from '../features/betterAuth/testing/users';
import { migratedDatabase, startTestApp, type TestApp } from '../testing/testApp';

const HOUR_MS = 3_600_000;
/** `HH:MM` (UTC) of now plus `offsetMs`; past midnight it wraps, as the windows do. */
const clock = (offsetMs: number): string => new Date(Date.now() + offsetMs).toISOString().slice(11, 16);

/**
 * Conditional grants evaluated at check time through a real guarded route
 * (`GET /api/admin/users/:id`, `users:read`, the user as the resource). The test app has no clock
 * option, so the windows are placed around the real current UTC time with an hour of margin on
 * each side: one that ended an hour ago, one that covers now.
 */
describe('conditional grants at check time: timeWindow and sameStore on a guarded route', () => {
  let database: TestDatabase;
  let t: TestApp;
  let admin: SignedUpUser;
  let target: SignedUpUser;

  const readUser = async (caller: SignedUpUser, userId: string) => {
    const res = await fetch(`${t.url}/api/admin/users/${userId}`, { headers: { cookie: caller.cookie } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** A new user holding exactly `users:read` under `conditions`, through a role. */
  const holderOf = async (tag: string, conditions: Record<string, unknown>): Promise<SignedUpUser> => {
    const created = await postJson(`${t.url}/api/auth/roles/create`, { name: `${tag}-${Date.now()}`, permissions: [{ permission: 'users:read', conditions }] }, { cookie: admin.cookie });
    expect(created.status).toBe(200);
    const user = await signUp(t.url, tag);
    const assigned = await postJson(`${t.url}/api/auth/roles/assign`, { userId: user.id, roleId: (created.body['role'] as { id: string }).id }, { cookie: admin.cookie });
    expect(assigned.status).toBe(200);
    return user;
  };

  /** The app has no store repository (stores are provisioned outside it): rows straight into Postgres. */
  const createStore = async (name: string): Promise<string> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const id = randomUUID();
      await client.query('INSERT INTO "Store" (id, name, slug, "updatedAt") VALUES ($1, $2, $3, now())', [id, name, `${name.toLowerCase()}-${id.slice(0, 8)}`]);
      return id;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    database = await migratedDatabase('conditions');
    t = await startTestApp({ database });
    admin = await signUp(t.url, 'Admin');
    expect((await promoteVerifiedToSystemAdmin(t.context, admin)).status).toBe('assigned');
    target = await signUp(t.url, 'Target');
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('a timeWindow grant is refused outside its window and granted inside it', async () => {
    const ended = await holderOf('ended-window', { timeWindow: { start: clock(-3 * HOUR_MS), end: clock(-HOUR_MS) } });
    const current = await holderOf('current-window', { timeWindow: { start: clock(-HOUR_MS), end: clock(HOUR_MS) } });

    const refused = await readUser(ended, target.id);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'PERMISSION_DENIED', permission: 'users:read' } });
    const granted = await readUser(current, target.id);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ user: { id: target.id } });
  });

  it('a window whose start equals its end is the whole day, also before its start', async () => {
    // 23:59–23:59: every minute of the day but the last is before the start (the case that was refused).
    const allDay = await holderOf('all-day', { timeWindow: { start: '23:59', end: '23:59' } });
    expect((await readUser(allDay, target.id)).status).toBe(200);
  });

  it('a sameStore grant is granted for a user of the caller\'s store and refused for another store or none', async () => {
    const [north, south] = [await createStore('North'), await createStore('South')];
    const manager = await holderOf('store-manager', { sameStore: true });
    const colleague = await signUp(t.url, 'Colleague');
    const elsewhere = await signUp(t.url, 'Elsewhere');
    await t.context.repositories.users.update(manager.id, { storeId: north, updatedBy: admin.id });
    await t.context.repositories.users.update(colleague.id, { storeId: north, updatedBy: admin.id });
    await t.context.repositories.users.update(elsewhere.id, { storeId: south, updatedBy: admin.id });

    expect((await readUser(manager, colleague.id)).status).toBe(200);
    const other = await readUser(manager, elsewhere.id);
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ error: { code: 'PERMISSION_DENIED', permission: 'users:read' } });
    expect((await readUser(manager, target.id)).status).toBe(403); // a user in no store

    // Moving the manager to the other store moves the grant with it, on the next request.
    await t.context.repositories.users.update(manager.id, { storeId: south, updatedBy: admin.id });
    expect((await readUser(manager, elsewhere.id)).status).toBe(200);
    expect((await readUser(manager, colleague.id)).status).toBe(403);
  });
});
