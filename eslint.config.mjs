import nx from '@nx/eslint-plugin';

/**
 * Module boundaries. Production code: app → auth, data, util; auth (@libs/better-auth) → data,
 * util; data → util; util → util; monitoring
 * and the test harness import nothing of ours. Tests (and `testing/` helpers) may also import
 * the test harness (`type:test`).
 */
function boundaries({ tests }) {
  const withTests = (tags) => (tests ? [...tags, 'type:test'] : tags);
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      banTransitiveDependencies: false,
      allow: [],
      depConstraints: [
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: withTests(['type:auth', 'type:data', 'type:util']) },
        { sourceTag: 'type:auth', onlyDependOnLibsWithTags: withTests(['type:data', 'type:util']) },
        { sourceTag: 'type:data', onlyDependOnLibsWithTags: withTests(['type:util']) },
        { sourceTag: 'type:util', onlyDependOnLibsWithTags: withTests(['type:util']) },
        { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:auth', 'type:data', 'type:util', 'type:tool', 'type:test'] },
        { sourceTag: 'type:test', onlyDependOnLibsWithTags: [] },
        // monitoring is the leaf: it imports nothing of ours.
        { sourceTag: 'scope:monitoring', onlyDependOnLibsWithTags: withTests([]) },
        { sourceTag: 'scope:utils', onlyDependOnLibsWithTags: withTests(['scope:utils', 'scope:monitoring']) },
      ],
    },
  ];
}

const TEST_FILES = ['**/*.test.ts', '**/*.spec.ts', '**/testing/**/*.ts', '**/conformance/**/*.ts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/generated/**', '**/.data', 'bench/results', 'tmp'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ tests: false }),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ tests: true }),
    },
  },
  {
    // Config files load the shared presets by path; they are not library code.
    files: ['**/jest.config.js', '**/jest.*.config.js', 'jest.preset.js', 'jest.targets.js', 'eslint.config.mjs'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: [...TEST_FILES, 'tools/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
