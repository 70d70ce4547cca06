import { createMockRepositories } from '../../testing/repositories';
import { describeRepositoryContract } from '../../testing/repositoryContract';
import { migratedTestDatabase } from '../../testing/testDatabase';
import { AccountRepository } from './account';
import { ApiKeyRepository } from './apiKey';
import { RoleRepository } from './role';
import { SessionRepository } from './session';
import { StoreRepository } from './store';
import { UserRepository } from './user';
import { UserEventRepository } from './userEvent';
import { VerificationRepository } from './verification';
import { createPluginTableRepositories } from './pluginTables';

describeRepositoryContract('Prisma repositories on Postgres', async () => {
  const database = await migratedTestDatabase('contract');
  const deps = { db: database.client };
  const apiKeys = new ApiKeyRepository(deps);
  return {
    repositories: {
      users: new UserRepository(deps),
      sessions: new SessionRepository(deps),
      apiKeys,
      roles: new RoleRepository(deps),
      accounts: new AccountRepository(deps),
      verifications: new VerificationRepository(deps),
      events: new UserEventRepository(deps),
      stores: new StoreRepository(deps),
      tables: createPluginTableRepositories(deps),
    },
    close: async () => {
      await apiKeys.close();
      await database.close();
    },
  };
});

describeRepositoryContract('in-memory repositories (@libs/database/testing)', async () => ({ repositories: createMockRepositories(), close: async () => undefined }));
