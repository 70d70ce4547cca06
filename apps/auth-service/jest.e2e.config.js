// Target `e2e`: this project's slow, process-starting files (listed in tools/ci/testTargets.js).
const { e2eConfig } = require('../../tools/ci/testTargets.js');

module.exports = e2eConfig('auth-service', require('./jest.config.js'));
