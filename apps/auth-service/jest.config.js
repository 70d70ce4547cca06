const preset = require('../../jest.preset.js');
const harness = require('../../tools/test-harness/jest.harness.js');

module.exports = {
  ...preset,
  ...harness,
  displayName: 'auth-service',
  rootDir: __dirname,
};
