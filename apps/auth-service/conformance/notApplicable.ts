/**
 * Tests of Better-Auth's adapter suites that cannot apply to our fixed schema, with the reason.
 * The suites add test-only tables and columns through `migrateBetterAuth` / plugin schemas and
 * rename models and fields; our schema is the Prisma schema plus its migrations, which have no
 * place for them. Everything not listed here runs and must pass.
 */
const TEST_MODEL = 'needs the suite\'s test-only table "testModel" (plugin schema)';
const JOIN_TABLES = 'needs the suite\'s test-only join tables ("oneToOneTable", "oneToManyTable")';
const USER_TEST_COLUMNS = 'needs test-only columns on user (testField, numericField, customField, dateField …)';
const RENAMED_MODEL = 'renames the user model ("user_custom" / "user_table"); our models have fixed names';
const RENAMED_FIELD = 'renames user.email to "email_address"; our columns have fixed names';

/** Test name (as the suites key it, "op - description") → why it does not apply. */
export const NOT_APPLICABLE: Readonly<Record<string, string>> = {
  'create - should return null for nullable foreign keys': TEST_MODEL,
  'create - should apply default values to fields': TEST_MODEL,
  'create - should support arrays': TEST_MODEL,
  'create - should support json': TEST_MODEL,
  'findOne - should not apply defaultValue if value not found': USER_TEST_COLUMNS,
  'findOne - should find a model with modified field name': RENAMED_FIELD,
  'findOne - should join a model with modified field name': RENAMED_FIELD,
  'findOne - should find a model with modified model name': RENAMED_MODEL,
  'findOne - backwards join with modified field name (session base, users-table join)': RENAMED_MODEL,
  'findOne - should find a model with additional fields': USER_TEST_COLUMNS,
  'findOne - should select fields with one-to-one join': JOIN_TABLES,
  'findOne - should return an object for one-to-one joins': JOIN_TABLES,
  'findOne - should work with both one-to-one and one-to-many joins': JOIN_TABLES,
  'findOne - should return null for failed base model lookup that has joins': JOIN_TABLES,
  'findOne - should return null for one-to-one join when joined record doesn\'t exist': JOIN_TABLES,
  'findMany - should select fields with one-to-one join': JOIN_TABLES,
  'findMany - should find many with one-to-one join': JOIN_TABLES,
  'findMany - should find many with both one-to-one and one-to-many joins': JOIN_TABLES,
  'findMany - should return empty array when base records don\'t exist with joins': JOIN_TABLES,
  'findMany - should return null for one-to-one join when joined records don\'t exist': JOIN_TABLES,
  'findMany - should handle mixed joins correctly when some are missing': JOIN_TABLES,
  'findMany - should find many with join and sortBy': USER_TEST_COLUMNS,
  'findMany - should find many models with sortBy': USER_TEST_COLUMNS,
  'findMany - should find many models with sortBy and offset': USER_TEST_COLUMNS,
  'findMany - should find many models with sortBy and limit': USER_TEST_COLUMNS,
  'findMany - should find many models with sortBy and limit and offset': USER_TEST_COLUMNS,
  'findMany - should find many models with sortBy and limit and offset and where': USER_TEST_COLUMNS,
  'deleteMany - should delete many models with numeric values': USER_TEST_COLUMNS,
  'should sign up with additional fields': USER_TEST_COLUMNS,
};

/** `disableTests` for a suite: every not-applicable test it has. */
export function disabled(): Record<string, boolean> {
  return Object.fromEntries(Object.keys(NOT_APPLICABLE).map((name) => [name, true]));
}

/** A display name without its terminal colours. */
// eslint-disable-next-line no-control-regex
export const plain = (displayName: string): string => displayName.replace(/\x1b\[[0-9;]*m/g, '');


/** The suites' display name of a test back to its key: colours, suite prefix and dash undone. */
export function testKey(displayName: string): string {
  return plain(displayName).replace(/^(joins|uuid|number-id) > /, '').replace(' ─ ', ' - ');
}
