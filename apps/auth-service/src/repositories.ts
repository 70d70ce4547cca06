import {
  AccountRepository,
  ApiKeyRepository,
  RoleRepository,
  SessionRepository,
  UserEventRepository,
  UserRepository,
  VerificationRepository,
  type RepositoryDependencies,
} from '@libs/database/postgress/repositories';

export interface Repositories {
  users: UserRepository;
  sessions: SessionRepository;
  accounts: AccountRepository;
  verifications: VerificationRepository;
  apiKeys: ApiKeyRepository;
  roles: RoleRepository;
  events: UserEventRepository;
}

/** One instance of each repository over shared dependencies (db, metrics, cache, logger). */
export function createRepositories(deps: RepositoryDependencies): Repositories {
  return {
    users: new UserRepository(deps),
    sessions: new SessionRepository(deps),
    accounts: new AccountRepository(deps),
    verifications: new VerificationRepository(deps),
    apiKeys: new ApiKeyRepository(deps),
    roles: new RoleRepository(deps),
    events: new UserEventRepository(deps),
  };
}
