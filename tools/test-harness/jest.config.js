const preset = require('../../jest.preset.js');
const harness = require('./jest.harness.js');
const { unitIgnorePatterns } = require('../../jest.targets.js');

module.exports = {
  ...preset,
  ...harness,
  displayName: 'test-harness',
  rootDir: __dirname,
  // Target `test`; the files listed in jest.targets.js run in `e2e` (jest.e2e.config.js).
  testPathIgnorePatterns: unitIgnorePatterns('test-harness'),
};
