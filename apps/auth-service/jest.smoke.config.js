// The app's part of the Node 20 smoke set (.ci/run; files listed in tools/ci/testTargets.js).
const { smokeConfig } = require('../../tools/ci/testTargets.js');

module.exports = smokeConfig('auth-service', require('./jest.config.js'));
