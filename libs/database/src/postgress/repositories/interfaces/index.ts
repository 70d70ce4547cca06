export * from './IApiKeyRepository';
export * from './IRepository';
export * from './IRoleRepository';
export * from './ISessionRepository';
export * from './ISmallRepositories';
export * from './IUserRepository';
export * from './IStoreRepository';
