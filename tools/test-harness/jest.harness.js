// Spread into a project's jest.config.js to give its tests the real Postgres and Redis.
const path = require('node:path');

module.exports = {
  globalSetup: path.join(__dirname, 'globalSetup.ts'),
  globalTeardown: path.join(__dirname, 'globalTeardown.ts'),
};
