export * from './RepositoryError';
export * from './toRepositoryError';
