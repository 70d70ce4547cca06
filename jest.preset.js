// Shared Jest preset: SWC transforms TypeScript and the ESM-only packages we depend on
// (cockatiel, better-auth and its dependencies) to CommonJS, and tsconfig paths become
// moduleNameMapper entries so `@libs/...` resolves to sources.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {
  // The generated Prisma client imports its siblings as `./x.js`; the sources are `.ts`.
  '^(\\.{1,2}/.*)\\.js$': '$1',
};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[/.]/g, (c) => `\\${c}`)}$`] = path.join(__dirname, target);
}

// ESM-only dependencies that SWC must turn into CommonJS for Jest.
const esmPackages = [
  'cockatiel',
  'better-auth',
  '@better-auth',
  'better-call',
  '@better-fetch',
  'jose',
  'nanostores',
  '@noble',
  'defu',
  'rou3',
  'uncrypto',
  'kysely',
  '@standard-schema',
  'cookie',
];

module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: { globalsCleanup: 'off' },
  // Integration tests start servers and hash passwords; a loaded 2-core CI needs room.
  testTimeout: 30_000,
  transform: {
    '^.+\\.(t|j|mj)sx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper,
  testMatch: ['**/?(*.)+(test|spec).ts'],
};
