import type { OutputField } from './sessionSettings';

type Row = Record<string, unknown>;

function pick(row: Row, fields: readonly OutputField[]): Row {
  const out: Row = {};
  for (const { key, from } of fields) out[key] = row[from];
  return out;
}

/**
 * The JSON Better-Auth answers for a live session: `{ session, user }` with the adapter's output
 * fields in its order (`parseSessionOutput` / `parseUserOutput` drop `returned: false` fields);
 * `undefined` values vanish and Dates become ISO strings exactly as in its `JSON.stringify`.
 */
export function sessionBody(session: object, user: object, sessionFields: readonly OutputField[], userFields: readonly OutputField[]): string {
  return JSON.stringify({ session: pick(session as Row, sessionFields), user: pick(user as Row, userFields) });
}
