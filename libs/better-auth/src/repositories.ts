import {
  AccountRepository,
  ApiKeyRepository,
  RoleRepository,
  SessionRepository,
  UserEventRepository,
  UserRepository,
  VerificationRepository,
  createPluginTableRepositories,
  type IAccountRepository,
  type PluginTableRepositories,
  type IApiKeyRepository,
  type IRoleRepository,
  type ISessionRepository,
  type IUserEventRepository,
  type IUserRepository,
  type IVerificationRepository,
  type ApiKeyRepositoryOptions,
  type RepositoryDependencies,
} from '@libs/database/postgress/repositories';

/** What the app works through: interfaces, so the in-memory repositories of `@libs/database/testing` stand in. */
export interface Repositories {
  users: IUserRepository;
  sessions: ISessionRepository;
  accounts: IAccountRepository;
  verifications: IVerificationRepository;
  apiKeys: IApiKeyRepository;
  roles: IRoleRepository;
  events: IUserEventRepository;
  /** Better-Auth plugin tables (twoFactor, jwks, organization …), by Better-Auth model name. */
  tables: PluginTableRepositories;
}

/** One instance of each repository over shared dependencies (db, metrics, cache, logger). */
export function createRepositories(deps: RepositoryDependencies, options: { apiKeys?: ApiKeyRepositoryOptions; onUnknownCredential?: () => void } = {}): Repositories {
  // Only when given: an explicit undefined would replace the repositories' no-op default.
  const hook = options.onUnknownCredential ? { onUnknownCredential: options.onUnknownCredential } : {};
  return {
    users: new UserRepository(deps),
    sessions: new SessionRepository({ ...deps, session: hook }),
    accounts: new AccountRepository(deps),
    verifications: new VerificationRepository(deps),
    apiKeys: new ApiKeyRepository({ ...deps, apiKeys: { ...options.apiKeys, ...hook } }),
    roles: new RoleRepository(deps),
    events: new UserEventRepository(deps),
    tables: createPluginTableRepositories(deps),
  };
}
