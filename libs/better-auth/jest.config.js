const preset = require('../../jest.preset.js');
const harness = require('../../tools/test-harness/jest.harness.js');
const { unitIgnorePatterns } = require('../../jest.targets.js');

module.exports = {
  ...preset,
  ...harness,
  displayName: 'better-auth',
  rootDir: __dirname,
  maxWorkers: 2,
  testTimeout: 60_000,
  testPathIgnorePatterns: unitIgnorePatterns('better-auth'),
};
