import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Proves the boundary rule has teeth: each fixture is linted as if it were a file inside the
 * named project, and a forbidden import must produce an @nx/enforce-module-boundaries error.
 */
const root = join(__dirname, '..', '..');
const eslintBin = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface LintResult {
  messages: Array<{ ruleId: string | null; message: string }>;
}

// ESLint runs as its own process (as `nx lint` does): its flat config is ESM, which Jest's
// module system cannot load.
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const run = spawnSync(process.execPath, [eslintBin, '--format', 'json', '--stdin', '--stdin-filename', join(root, filePath)], {
    cwd: root,
    input: code,
    encoding: 'utf8',
  });
  if (!run.stdout) throw new Error(`eslint failed: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as LintResult[];
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it.each([
    ['a util lib importing the data lib', 'libs/utils/src/fixture.ts', "import { x } from '@libs/database';\nexport const y = x;\n"],
    ['monitoring importing utils', 'libs/monitoring/src/fixture.ts', "import { x } from '@libs/utils';\nexport const y = x;\n"],
    ['a lib importing the app by name', 'libs/database/src/fixture.ts', "import { x } from '@apps/auth-service';\nexport const y = x;\n"],
    ['a lib importing the app by path', 'libs/utils/src/fixture.ts', "import { x } from '../../../apps/auth-service/src/main';\nexport const y = x;\n"],
    ['monitoring importing the data lib', 'libs/monitoring/src/fixture.ts', "import { x } from '@libs/database/models';\nexport const y = x;\n"],
    ['a deep import past the public paths', 'apps/auth-service/src/fixture.ts', "import { x } from '../../../libs/utils/src/retry/whatever';\nexport const y = x;\n"],
    ['library code importing the test harness', 'libs/database/src/fixture.ts', "import { createTestDatabase } from '@tools/test-harness';\nexport const y = createTestDatabase;\n"],
  ])('rejects %s', async (_name, file, code) => {
    expect(await boundaryErrors(file, code)).not.toHaveLength(0);
  });

  it.each([
    ['the app importing data and util libs', 'apps/auth-service/src/fixture.ts', "import { a } from '@libs/database/postgress/repositories';\nimport { b } from '@libs/utils/src/executeWithRetry';\nimport { c } from '@libs/monitoring';\nexport const y = [a, b, c];\n"],
    ['the data lib importing util libs', 'libs/database/src/fixture.ts', "import { b } from '@libs/utils';\nimport type { IMetricsCollector } from '@libs/monitoring';\nexport const y: [unknown, IMetricsCollector?] = [b];\n"],
    ['a test importing the test harness', 'libs/database/src/fixture.test.ts', "import { createTestDatabase } from '@tools/test-harness';\nexport const y = createTestDatabase;\n"],
  ])('allows %s', async (_name, file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
