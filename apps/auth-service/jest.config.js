const preset = require('../../jest.preset.js');
const harness = require('../../tools/test-harness/jest.harness.js');

module.exports = {
  ...preset,
  ...harness,
  displayName: 'auth-service',
  rootDir: __dirname,
  // End-to-end tests hash passwords (scrypt) and start servers: generous on a loaded 2-core CI.
  testTimeout: 60_000,
};
