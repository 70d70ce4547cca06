import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { CountsReporter } from './countsReporter';

const root = join(__dirname, '../../..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };

/**
 * Better-Auth's adapter suites (`@better-auth/test-utils/adapter`) are written for vitest, so they
 * run here rather than under the app's jest config. `@libs/...` resolve to sources as in jest.
 */
export default defineConfig({
  resolve: {
    alias: Object.entries(compilerOptions.paths).map(([find, [target]]) => ({ find: new RegExp(`^${find.replace(/[/.]/g, (c) => `\\${c}`)}$`), replacement: join(root, target) })),
  },
  test: {
    root: join(root, 'apps/auth-service/conformance'),
    include: ['**/*.conformance.ts'],
    globalSetup: ['./globalSetup.ts'],
    reporters: ['default', new CountsReporter()],
    // One Postgres database per file; the suites inside a file run in order.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
