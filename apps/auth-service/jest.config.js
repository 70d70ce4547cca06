const preset = require('../../jest.preset.js');
const harness = require('../../tools/test-harness/jest.harness.js');
const { unitIgnorePatterns } = require('../../jest.targets.js');

module.exports = {
  ...preset,
  ...harness,
  displayName: 'auth-service',
  rootDir: __dirname,
  // End-to-end tests hash passwords (scrypt) and start servers: generous on a loaded 2-core CI.
  testTimeout: 60_000,
  // Target `test`; the files listed in jest.targets.js run in `e2e` (jest.e2e.config.js).
  testPathIgnorePatterns: unitIgnorePatterns('auth-service'),
};
