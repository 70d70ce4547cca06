import { MockApiKeyRepository } from './MockApiKeyRepository';
import { MockRoleRepository } from './MockRoleRepository';
import { MockSessionRepository } from './MockSessionRepository';
import { MockAccountRepository, MockUserEventRepository, MockVerificationRepository } from './MockSmallRepositories';
import { MockUserRepository } from './MockUserRepository';

export interface MockRepositories {
  users: MockUserRepository;
  sessions: MockSessionRepository;
  apiKeys: MockApiKeyRepository;
  roles: MockRoleRepository;
  events: MockUserEventRepository;
  accounts: MockAccountRepository;
  verifications: MockVerificationRepository;
}

/**
 * The seed's "repository mock factory": typed in-memory fakes of every repository for unit
 * tests of code that consumes them (no database). Each fake has the repository's public
 * methods (checked at compile time), validates input with the same Zod schemas, throws the
 * same `RepositoryError` codes (foreign keys included), records `calls`, and can `failNext(method, error)`.
 */
export function createMockRepositories(): MockRepositories {
  const roles = new MockRoleRepository();
  const users = new MockUserRepository().references({ roleId: roles });
  roles.references({ parentRoleId: roles });
  return {
    users,
    sessions: new MockSessionRepository().references({ userId: users }),
    apiKeys: new MockApiKeyRepository().references({ userId: users }),
    roles,
    events: new MockUserEventRepository().references({ userId: users }),
    accounts: new MockAccountRepository().references({ userId: users }),
    verifications: new MockVerificationRepository(),
  };
}
