import { isRepositoryError } from '../../errors/RepositoryError';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { createPluginTableRepositories, type PluginTableRepositories } from './pluginTables';
import { UserRepository } from './user';

describe('TableRepository (plugin tables)', () => {
  let t: MigratedTestDatabase;
  let users: UserRepository;
  let tables: PluginTableRepositories;

  beforeAll(async () => {
    t = await migratedTestDatabase('tables');
    users = new UserRepository({ db: t.client });
    tables = createPluginTableRepositories({ db: t.client });
  });
  afterAll(() => t.close());

  it('binds to another repository’s transaction: its writes commit with it, or roll back with it', async () => {
    const failure = new Error('rolled back');
    await expect(
      users.transactionWith([tables.organization, tables.member], async (tx, organizations, members) => {
        const user = await tx.create({ email: 'rolled-back@example.com' });
        const org = (await organizations.create({ name: 'Gone', slug: 'gone' })) as { id: string };
        await members.create({ organizationId: org.id, userId: user.id, role: 'owner' });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await tables.organization.count({ slug: 'gone' })).toBe(0);
    expect(await users.findByEmail('rolled-back@example.com')).toBeNull();

    const memberId = await users.transactionWith([tables.organization, tables.member], async (tx, organizations, members) => {
      const user = await tx.create({ email: 'kept@example.com' });
      const org = (await organizations.create({ name: 'Kept', slug: 'kept' })) as { id: string };
      return ((await members.create({ organizationId: org.id, userId: user.id, role: 'owner' })) as { id: string }).id;
    });
    expect(await tables.member.findById(memberId)).toMatchObject({ role: 'owner' });
  });

  it('refuses a row that points at nothing with FOREIGN_KEY, and records metrics under the model name', async () => {
    const error = await tables.member.create({ organizationId: 'no-such-org', userId: 'no-such-user' }).catch((e: unknown) => e);
    expect(isRepositoryError(error, 'FOREIGN_KEY')).toBe(true);
    expect(tables.member.getMetrics().operationCount).toBeGreaterThan(0);
  });
});
