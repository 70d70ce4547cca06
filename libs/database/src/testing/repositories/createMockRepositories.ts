import { MockApiKeyRepository } from './MockApiKeyRepository';
import { MockRoleRepository } from './MockRoleRepository';
import { MockSessionRepository } from './MockSessionRepository';
import { MockStoreRepository } from './MockStoreRepository';
import { MockAccountRepository, MockUserEventRepository, MockVerificationRepository } from './MockSmallRepositories';
import { MockUserRepository } from './MockUserRepository';
import { createMockPluginTables } from './MockPluginTables';
import type { PluginTableRepositories } from '../../postgress/repositories/pluginTables';

export interface MockRepositories {
  users: MockUserRepository;
  sessions: MockSessionRepository;
  apiKeys: MockApiKeyRepository;
  roles: MockRoleRepository;
  events: MockUserEventRepository;
  accounts: MockAccountRepository;
  verifications: MockVerificationRepository;
  stores: MockStoreRepository;
  /** Better-Auth plugin tables (`createPluginTableRepositories`), by Better-Auth model name. */
  tables: PluginTableRepositories;
}

/**
 * The seed's "repository mock factory": typed in-memory fakes of every repository for unit
 * tests of code that consumes them (no database). Each fake has the repository's public
 * methods (checked at compile time), validates input with the same Zod schemas, throws the
 * same `RepositoryError` codes (foreign keys included), records `calls`, and can `failNext(method, error)`.
 */
export function createMockRepositories(): MockRepositories {
  const roles = new MockRoleRepository();
  const users = new MockUserRepository();
  const sessions = new MockSessionRepository();
  const apiKeys = new MockApiKeyRepository();
  const stores = new MockStoreRepository({ users, sessions, apiKeys });
  users.references({ roleId: roles, storeId: stores });
  roles.references({ parentRoleId: roles });
  return {
    users,
    sessions: sessions.references({ userId: users, storeId: stores }),
    apiKeys: apiKeys.references({ userId: users, storeId: stores }),
    roles,
    stores,
    events: new MockUserEventRepository().references({ userId: users }),
    accounts: new MockAccountRepository().references({ userId: users }),
    verifications: new MockVerificationRepository(),
    tables: createMockPluginTables(),
  };
}
