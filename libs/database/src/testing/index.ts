// Test-only entry point (`@libs/database/testing`): kept out of the production barrel and of
// `dist` (tsconfig.lib.json excludes src/**/testing/**).
export * from './repositories';
export * from './FakeCache';
export * from './testDatabase';
