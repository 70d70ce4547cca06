export * from './createMockRepositories';
export * from './InMemoryRepository';
export * from './matchWhere';
export * from './MockApiKeyRepository';
export * from './MockRoleRepository';
export * from './MockSessionRepository';
export * from './MockSmallRepositories';
export * from './MockUserRepository';
