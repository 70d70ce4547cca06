// The app's part of the Node 20 smoke set (.ci/run; files listed in jest.targets.js).
const { smokeConfig } = require('../../jest.targets.js');

module.exports = smokeConfig('auth-service', require('./jest.config.js'));
