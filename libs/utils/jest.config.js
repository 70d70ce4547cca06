const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'utils',
  rootDir: __dirname,
};
