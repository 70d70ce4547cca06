export * from './MigrationError';
export * from './migrationFiles';
export * from './migrate';
