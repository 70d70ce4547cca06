const preset = require('../../jest.preset.js');
const harness = require('./jest.harness.js');
const { unitIgnorePatterns } = require('../ci/testTargets.js');

module.exports = {
  ...preset,
  ...harness,
  displayName: 'test-harness',
  rootDir: __dirname,
  // Target `test`; the files listed in tools/ci/testTargets.js run in `e2e` (jest.e2e.config.js).
  testPathIgnorePatterns: unitIgnorePatterns('test-harness'),
};
