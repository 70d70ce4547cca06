import type autocannon from 'autocannon';
import type { StatementRow } from './statementSummary';
import { isUtilityStatement } from './statementSummary';

export const KEY_VERIFY_PATH = '/api/auth/api-key/verify';

/** One verify request per key (JSON body); autocannon cycles through them. */
export function keyVerifyRequests(keys: string[]): autocannon.Request[] {
  if (keys.length === 0) throw new RangeError('keyVerifyRequests needs at least one key');
  return keys.map((key) => ({ method: 'POST', path: KEY_VERIFY_PATH, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) }));
}

const WRITE = /^\s*(with\b[\s\S]*?\b)?(insert|update|delete|merge)\b/i;

/** INSERT / UPDATE / DELETE statements among `rows` (normalised pg_stat_statements text). */
export function writeCalls(rows: StatementRow[]): number {
  return rows.filter((r) => !isUtilityStatement(r.query) && WRITE.test(r.query)).reduce((sum, r) => sum + r.calls, 0);
}

/** Checks that `url` says valid for a real key and 401 for a wrong one, before anything is measured. */
export async function checkKeyVerification(name: string, url: string, key: string): Promise<void> {
  const post = (body: unknown) => fetch(`${url}${KEY_VERIFY_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ok = await post({ key });
  const okBody = (await ok.json()) as { valid?: boolean };
  if (ok.status !== 200 || okBody.valid !== true) throw new Error(`${name}: a seeded key is not valid (${ok.status} ${JSON.stringify(okBody)})`);
  const wrong = await post({ key: `${key.slice(0, -2)}zz` });
  await wrong.arrayBuffer();
  if (wrong.status === 200) throw new Error(`${name}: a wrong key was accepted`);
}
