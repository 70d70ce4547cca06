import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Proves the boundary rule has teeth: each fixture is linted as if it were a file inside the
 * named project, and a forbidden import must produce an @nx/enforce-module-boundaries error.
 * Every fixture goes through one ESLint process (tools/lint/lintFixtures.mjs), not one each.
 */
const root = join(__dirname, '..', '..');

const rejected: Array<[string, string, string]> = [
  ['a util lib importing the data lib', 'libs/utils/src/fixture.ts', "import { x } from '@libs/database';\nexport const y = x;\n"],
  ['monitoring importing utils', 'libs/monitoring/src/fixture.ts', "import { x } from '@libs/utils';\nexport const y = x;\n"],
  ['a lib importing the app by name', 'libs/database/src/fixture.ts', "import { x } from '@apps/auth-service';\nexport const y = x;\n"],
  ['a lib importing the app by path', 'libs/utils/src/fixture.ts', "import { x } from '../../../apps/auth-service/src/main';\nexport const y = x;\n"],
  ['monitoring importing the data lib', 'libs/monitoring/src/fixture.ts', "import { x } from '@libs/database/models';\nexport const y = x;\n"],
  ['a deep import past the public paths', 'apps/auth-service/src/fixture.ts', "import { x } from '../../../libs/utils/src/retry/whatever';\nexport const y = x;\n"],
  ['the Better-Auth lib importing the app by path', 'libs/better-auth/src/fixture.ts', "import { x } from '../../../apps/auth-service/src/main';\nexport const y = x;\n"],
  ['the data lib importing the Better-Auth lib', 'libs/database/src/fixture.ts', "import { x } from '@libs/better-auth';\nexport const y = x;\n"],
  ['library code importing the test harness', 'libs/database/src/fixture.ts', "import { createTestDatabase } from '@tools/test-harness';\nexport const y = createTestDatabase;\n"],
];

const allowed: Array<[string, string, string]> = [
  ['the app importing data and util libs', 'apps/auth-service/src/fixture.ts', "import { a } from '@libs/database/postgress/repositories';\nimport { b } from '@libs/utils/src/executeWithRetry';\nimport { c } from '@libs/monitoring';\nexport const y = [a, b, c];\n"],
  ['the app importing the Better-Auth lib and its client plugins', 'apps/auth-service/src/fixture.ts', "import { a } from '@libs/better-auth';\nimport { b } from '@libs/better-auth/client';\nexport const y = [a, b];\n"],
  ['the Better-Auth lib importing data and util libs', 'libs/better-auth/src/fixture.ts', "import { a } from '@libs/database/postgress/repositories';\nimport { b } from '@libs/utils';\nexport const y = [a, b];\n"],
  ['the data lib importing util libs', 'libs/database/src/fixture.ts', "import { b } from '@libs/utils';\nimport type { IMetricsCollector } from '@libs/monitoring';\nexport const y: [unknown, IMetricsCollector?] = [b];\n"],
  ['a test importing the test harness', 'libs/database/src/fixture.test.ts', "import { createTestDatabase } from '@tools/test-harness';\nexport const y = createTestDatabase;\n"],
];

/** The boundary messages for each fixture, in order, from one ESLint run over all of them. */
function lintAll(fixtures: Array<[string, string, string]>): string[][] {
  const input = JSON.stringify(fixtures.map(([, file, code]) => ({ filePath: join(root, file), code })));
  const run = spawnSync(process.execPath, [join(__dirname, 'lintFixtures.mjs')], { cwd: root, input, encoding: 'utf8', timeout: 120_000 });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('RESULTS '));
  if (run.status !== 0 || !line) throw new Error(`eslint failed (exit ${String(run.status ?? run.signal)}): ${run.stderr}\n${run.stdout}`);
  return JSON.parse(line.slice('RESULTS '.length)) as string[][];
}

describe('module boundaries', () => {
  let messages: Map<string, string[]>;
  beforeAll(() => {
    const fixtures = [...rejected, ...allowed];
    const results = lintAll(fixtures);
    messages = new Map(fixtures.map(([name], i) => [name, results[i]]));
  }, 120_000);

  it.each(rejected)('rejects %s', (name) => {
    expect(messages.get(name)).not.toHaveLength(0);
  });

  it.each(allowed)('allows %s', (name) => {
    expect(messages.get(name)).toEqual([]);
  });
});
