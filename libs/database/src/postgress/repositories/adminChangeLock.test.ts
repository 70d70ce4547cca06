import { Client } from 'pg';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { ADVISORY_LOCKS } from './advisoryLocks';
import { RoleRepository } from './role';
import { UserRepository } from './user';

/** Waits for a condition with a deadline (never a fixed sleep). */
async function until(condition: () => Promise<boolean>, what: string, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('UserRepository.withAdminChangeLock (Postgres advisory lock)', () => {
  let t: MigratedTestDatabase;
  let observer: Client;
  let users: UserRepository;
  let roles: RoleRepository;
  // pg_locks shows a bigint advisory key as classid (high 32 bits) / objid (low 32 bits), objsubid 1.
  const holders = async (granted: boolean) =>
    Number((await observer.query<{ n: string }>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND objsubid = 1 AND granted = $2`, [ADVISORY_LOCKS.adminChange, granted])).rows[0].n);

  beforeAll(async () => {
    t = await migratedTestDatabase('admin_lock');
    observer = new Client({ connectionString: t.database.url });
    await observer.connect();
    users = new UserRepository({ db: t.client });
    roles = new RoleRepository({ db: t.client });
  });
  afterAll(async () => {
    await observer?.end();
    await t?.close();
  });

  it('a second change waits for the first to commit, then reads what it wrote; the lock ends with the transaction', async () => {
    const role = await roles.create({ name: 'lock-admin', isSystem: true, permissions: ['*:*'] });
    const a = await users.create({ email: 'lock-a@example.com', roleId: role.id });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = users.withAdminChangeLock([roles], async (locked, lockedRoles) => {
      await locked.updateRole(a.id, null, 'first');
      await lockedRoles.update(role.id, { description: 'changed under the lock' });
      await gate;
      return 'first';
    });
    await until(async () => (await holders(true)) === 1, 'the first change holds the lock');
    let secondSaw: string | null | undefined;
    const second = users.withAdminChangeLock([], async (locked) => {
      secondSaw = (await locked.findById(a.id, { includeDeleted: true }))?.roleId;
      return 'second';
    });
    await until(async () => (await holders(false)) === 1, 'the second change waits on the lock');
    expect(secondSaw).toBeUndefined();
    // Outside the lock nothing of the first change is visible yet.
    expect((await users.findById(a.id, { includeDeleted: true }))?.roleId).toBe(role.id);
    release();
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
    expect(secondSaw).toBeNull();
    expect(await roles.findById(role.id)).toMatchObject({ description: 'changed under the lock' });
    expect((await holders(true)) + (await holders(false))).toBe(0);
  });

  it('a throw rolls every bound write back and reaches the caller as thrown', async () => {
    const role = await roles.create({ name: 'lock-rollback', isSystem: true });
    const b = await users.create({ email: 'lock-b@example.com', roleId: role.id });
    const refused = new Error('refused inside the lock');
    await expect(
      users.withAdminChangeLock([roles], async (locked, lockedRoles) => {
        await locked.batchUpdateStatus([b.id], 'BANNED', 'test');
        await lockedRoles.update(role.id, { isActive: false });
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(await users.findById(b.id, { includeDeleted: true })).toMatchObject({ status: 'ACTIVE', roleId: role.id });
    expect(await roles.findById(role.id)).toMatchObject({ isActive: true });
    expect(await holders(true)).toBe(0);
  });
});
