import type { User } from '../../models';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { RoleRepository } from './role';
import { SessionRepository } from './session';
import { StoreRepository } from './store';
import { UserRepository } from './user';

// The `include` query option on real Postgres: related rows come back with the row.
describe('include (real Postgres)', () => {
  let database: MigratedTestDatabase;
  let users: UserRepository;
  let stores: StoreRepository;
  let user: User;
  let roleId: string;
  let storeId: string;
  let sessionIds: string[];

  beforeAll(async () => {
    database = await migratedTestDatabase('include');
    const deps = { db: database.client };
    users = new UserRepository(deps);
    stores = new StoreRepository(deps);
    const sessions = new SessionRepository(deps);
    roleId = (await new RoleRepository(deps).create({ name: 'include-editor' })).id;
    storeId = (await stores.create({ name: 'Include', slug: 'include' })).id;
    user = await users.create({ email: 'include@example.com', name: 'Inc', roleId, storeId });
    sessionIds = [];
    for (const n of [1, 2]) sessionIds.push((await sessions.create({ userId: user.id, storeId, token: `include-token-${n}-0123456789`, expiresAt: new Date(Date.now() + 60_000) })).id);
  });
  afterAll(() => database?.close());

  it('findById returns the user with its role, sessions and store', async () => {
    const found = await users.findById(user.id, { include: { role: true, sessions: true, store: true } });
    expect(found?.role).toMatchObject({ id: roleId, name: 'include-editor' });
    expect(found?.store).toMatchObject({ id: storeId, slug: 'include' });
    expect(found?.sessions?.map((s) => s.id).sort()).toEqual([...sessionIds].sort());
  });

  it('findMany and findFirst include relations too, filtered and ordered inside the include', async () => {
    const [many] = await users.findMany({ where: { id: user.id }, include: { sessions: { orderBy: { token: 'desc' }, take: 1 }, role: true } });
    expect(many.sessions?.map((s) => s.token)).toEqual(['include-token-2-0123456789']);
    expect(many.role?.id).toBe(roleId);
    expect(many).not.toHaveProperty('store'); // only what was asked for
    const first = await users.findFirst({ where: { email: 'include@example.com' }, include: { store: true } });
    expect(first?.store?.id).toBe(storeId);
  });

  it('a store includes its users, sessions and keys', async () => {
    const store = await stores.findById(storeId, { include: { users: true, sessions: true, apiKeys: true } });
    expect(store?.users?.map((u) => u.id)).toEqual([user.id]);
    expect(store?.sessions).toHaveLength(2);
    expect(store?.apiKeys).toEqual([]);
  });

  it('a plain findById still answers from the cache path without relations', async () => {
    const plain = await users.findById(user.id);
    expect(plain).not.toHaveProperty('role');
    expect(plain?.roleId).toBe(roleId);
  });
});
