import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

export interface SignedUpUser {
  id: string;
  email: string;
  cookie: string;
}

/** Signs a new user up through the app and returns its session cookie. */
export async function signUp(baseUrl: string, name = 'Test User'): Promise<SignedUpUser> {
  const email = `u-${randomUUID()}@example.com`;
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery', name }),
  });
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  // Sign-up does not sign in (it must answer a taken email like a new one): sign in next.
  const signIn = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery' }),
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const body = (await signIn.json()) as { user: { id: string } };
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  return { id: body.user.id, email, cookie };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

/**
 * Counts INSERT/UPDATE/DELETE statements on the given tables with statement-level triggers
 * (exact and immediate, unlike pg_stat_* counters that are flushed lazily).
 */
export class WriteCounter {
  readonly #client: Client;

  private constructor(client: Client) {
    this.#client = client;
  }

  static async install(databaseUrl: string, tables: string[]): Promise<WriteCounter> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`CREATE TABLE IF NOT EXISTS test_write_log (tbl text NOT NULL, op text NOT NULL)`);
    await client.query(`CREATE OR REPLACE FUNCTION test_log_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO test_write_log VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END $$`);
    for (const table of tables) {
      await client.query(`DROP TRIGGER IF EXISTS test_write_log ON "${table}"`);
      await client.query(`CREATE TRIGGER test_write_log AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION test_log_write()`);
    }
    return new WriteCounter(client);
  }

  async count(): Promise<number> {
    const { rows } = await this.#client.query<{ n: string }>(`SELECT count(*) AS n FROM test_write_log`);
    return Number(rows[0].n);
  }

  async usage(keyId: string): Promise<{ usageCount: number; lastUsedAt: Date | null }> {
    const { rows } = await this.#client.query<{ usageCount: number; lastUsedAt: Date | null }>(`SELECT "usageCount", "lastUsedAt" FROM "ApiKey" WHERE id = $1`, [keyId]);
    return rows[0];
  }

  async close(): Promise<void> {
    await this.#client.end();
  }
}
