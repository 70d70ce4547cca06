// Target `e2e`: this project's slow, process-starting files (listed in jest.targets.js).
const { e2eConfig } = require('../../jest.targets.js');

module.exports = e2eConfig('database', require('./jest.config.js'));
