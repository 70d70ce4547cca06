// Test-only entry point (`@libs/monitoring/testing`): kept out of the production barrel and of
// `dist` (tsconfig.lib.json excludes src/**/testing/**), so the published package has no such export.
export * from './FakeMetricsCollector';
