/**
 * The app's shape, checked by `nx run auth-service:lint` (dependency-cruiser):
 * - a feature (src/features/<name>/) imports no other feature: what two features share lives in
 *   the identity module (src/identity/, @libs/better-auth) or in infrastructure (src/auth, src/data,
 *   src/http, src/oidc, src/mail …), and only the composition root (context.ts, app.ts, main.ts,
 *   config.ts for the settings)
 *   puts features together;
 * - infrastructure imports no feature;
 * - no import cycle anywhere in the app's production code.
 * Tests and the testing/ helpers may reach across features (a test drives the whole app).
 */
const TESTS = '(\\.test\\.ts$|/testing/)';
const COMPOSITION_ROOT = '^apps/auth-service/src/(context|app|main|config)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'feature-to-feature',
      comment: 'A feature may not import another feature; share through src/identity or infrastructure.',
      severity: 'error',
      from: { path: '^apps/auth-service/src/features/([^/]+)/', pathNot: TESTS },
      to: { path: '^apps/auth-service/src/features/', pathNot: '^apps/auth-service/src/features/$1/' },
    },
    {
      name: 'infrastructure-to-feature',
      comment: 'Only the composition root (context.ts, app.ts, main.ts, config.ts) may import a feature.',
      severity: 'error',
      from: { path: '^apps/auth-service/src/', pathNot: ['^apps/auth-service/src/features/', COMPOSITION_ROOT, TESTS, '^apps/auth-service/src/cli/'] },
      to: { path: '^apps/auth-service/src/features/' },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles: the construction order must follow the imports, with no setter to close a loop.',
      severity: 'error',
      from: { path: '^apps/auth-service/src/', pathNot: TESTS },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^libs/', '^tools/'] },
    exclude: { path: ['\\.test\\.ts$', '/features/console/app/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
