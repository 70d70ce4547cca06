// Target `e2e`: this project's slow, process-starting files (listed in tools/ci/testTargets.js).
const { e2eConfig } = require('../ci/testTargets.js');

module.exports = e2eConfig('test-harness', require('./jest.config.js'));
