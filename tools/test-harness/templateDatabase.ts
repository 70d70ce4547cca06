import { Client } from 'pg';
import { withDatabase } from './databaseUrl';

// Any constant: it only has to be the same in every test worker of a run.
const TEMPLATE_LOCK_KEY = 72_707_370;

/** Templates this process already knows to exist (skips the lock on later calls). */
const known = new Set<string>();

/**
 * A template database named `name` on the Postgres at `adminUrl`, made once by `prepare` (e.g.
 * running the migrations) and then cloned by `createTestDatabase(prefix, { template: name })`.
 * Test workers run in parallel: the first to get the advisory lock builds it under a staging
 * name and renames it into place, the others wait and find it. The template refuses connections
 * (`ALLOW_CONNECTIONS false`), since CREATE DATABASE … TEMPLATE fails while any session is
 * connected to it: `prepare` must close what it opened before it resolves. Put what the content
 * depends on into `name` (a checksum of the migrations), so a change builds a new template.
 */
export async function templateDatabase(adminUrl: string, name: string, prepare: (url: string) => Promise<void>): Promise<string> {
  if (!/^[a-z0-9_]{1,50}$/.test(name)) throw new Error(`template name must be 1-50 of [a-z0-9_]: ${name}`);
  if (known.has(`${adminUrl} ${name}`)) return name;
  const client = new Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) {
      const staging = `${name}_staging`;
      // A staging copy left by a worker that died mid-build.
      await client.query(`DROP DATABASE IF EXISTS "${staging}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${staging}"`);
      await prepare(withDatabase(adminUrl, staging));
      // WITH (FORCE) would hide a leak in `prepare`; a plain ALTER waits briefly for backends that are exiting.
      await client.query(`ALTER DATABASE "${staging}" WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`);
      await client.query(`ALTER DATABASE "${staging}" RENAME TO "${name}"`);
    }
    known.add(`${adminUrl} ${name}`);
    return name;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
