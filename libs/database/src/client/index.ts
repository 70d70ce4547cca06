export * from './createDatabaseClient';
export * from './options';
export * from './PrismaDatabaseClient';
