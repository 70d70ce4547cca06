const preset = require('../../jest.preset.js');
const harness = require('./jest.harness.js');

module.exports = {
  ...preset,
  ...harness,
  displayName: 'test-harness',
  rootDir: __dirname,
};
