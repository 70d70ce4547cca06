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
 * same `RepositoryError` codes, records `calls`, and can `failNext(method, error)`.
 */
export function createMockRepositories(): MockRepositories {
  return {
    users: new MockUserRepository(),
    sessions: new MockSessionRepository(),
    apiKeys: new MockApiKeyRepository(),
    roles: new MockRoleRepository(),
    events: new MockUserEventRepository(),
    accounts: new MockAccountRepository(),
    verifications: new MockVerificationRepository(),
  };
}
