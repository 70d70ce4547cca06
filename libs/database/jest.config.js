const preset = require('../../jest.preset.js');
const harness = require('../../tools/test-harness/jest.harness.js');
const { unitIgnorePatterns } = require('../../jest.targets.js');

module.exports = {
  ...preset,
  ...harness,
  displayName: 'database',
  rootDir: __dirname,
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    // The generated Prisma client imports its siblings as `./x.js`; the sources are `.ts`.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // Integration tests share one Postgres and restart dedicated ones: keep the 2-core machine sane.
  maxWorkers: 2,
  testTimeout: 60_000,
  // Target `test`; the files listed in jest.targets.js run in `e2e` (jest.e2e.config.js).
  testPathIgnorePatterns: unitIgnorePatterns('database'),
};
