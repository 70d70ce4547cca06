const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'monitoring',
  rootDir: __dirname,
};
