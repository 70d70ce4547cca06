const preset = require('../jest.preset.js');
const harness = require('./test-harness/jest.harness.js');
const { unitIgnorePatterns } = require('../jest.targets.js');

module.exports = {
  ...preset,
  ...harness,
  displayName: 'tools',
  rootDir: __dirname,
  // Boundary fixtures run ESLint with the project graph: give them room.
  testTimeout: 60_000,
  // The harness is its own project (test-harness). Target `test`; the files listed in
  // jest.targets.js run in `e2e` (jest.e2e.config.js).
  testPathIgnorePatterns: unitIgnorePatterns('tools', ['<rootDir>/test-harness/']),
};
