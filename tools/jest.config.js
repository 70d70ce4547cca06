const preset = require('../jest.preset.js');
const harness = require('./test-harness/jest.harness.js');

module.exports = {
  ...preset,
  ...harness,
  displayName: 'tools',
  rootDir: __dirname,
  // Boundary fixtures run ESLint with the project graph: give them room.
  testTimeout: 60_000,
  // The harness is its own project (test-harness).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test-harness/'],
};
