import { afterAll, describe, expect } from 'vitest';
import {
  authFlowTestSuite,
  caseInsensitiveTestSuite,
  createTestSuite,
  getNormalTestSuiteTests,
  joinsTestSuite,
  testAdapter,
  transactionsTestSuite,
  uuidTestSuite,
} from '@better-auth/test-utils/adapter';
import { disabled } from './notApplicable';
import { APP_SCHEMA_OPTIONS, appAdapterUnderTest } from './appAdapter';

const GENERATE_ID_TEST = 'create - should use generateId if provided';

/**
 * Better-Auth's `normalTestSuite` with its generateId test moved last. That test sets a constant
 * `generateId` that stays until a later test changes the options; upstream the next test with a
 * `migrateBetterAuth` schema resets them, but those tests do not apply to our schema, so the
 * constant id would leak into the tests after it (two users with one id).
 */
const normalTestSuite = createTestSuite('normal', {}, (helpers, debugTools) => {
  const { [GENERATE_ID_TEST]: generateIdTest, ...tests } = getNormalTestSuiteTests(helpers, debugTools);
  return {
    'init - tests': async () => {
      expect(helpers.getBetterAuthOptions().advanced?.database?.generateId !== 'serial').toBeTruthy();
    },
    ...tests,
    [GENERATE_ID_TEST]: generateIdTest,
  };
});

// Collected inside a describe: testAdapter builds an adapter while the file is collected.
describe('app repository adapter', async () => {
  const underTest = await appAdapterUnderTest('ba_adapter');
  afterAll(() => underTest.close());
  const { execute } = await testAdapter({
    adapter: () => underTest.adapter,
    // The schema is ours and fixed: the migrations ran when the database was made.
    runMigrations: () => undefined,
    overrideBetterAuthOptions: () => APP_SCHEMA_OPTIONS,
    tests: [
      normalTestSuite({ disableTests: disabled() }),
      authFlowTestSuite({ disableTests: disabled() }),
      transactionsTestSuite({ disableTests: disabled() }),
      caseInsensitiveTestSuite({ disableTests: disabled() }),
      joinsTestSuite({ disableTests: disabled() }),
      uuidTestSuite({ disableTests: disabled() }),
    ],
  });
  execute();
});
