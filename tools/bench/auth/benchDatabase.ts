import { LocalPostgres } from '@tools/test-harness';
import { Client } from 'pg';
import { AuthBenchError } from './AuthBenchError';
import { StatementCounter } from './StatementCounter';

export const BENCH_DATABASE_NAME = 'auth_bench';

export interface BenchDatabase {
  /** URL of the migrated benchmark database every server uses. */
  url: string;
  /** Counts statements per phase; null (with `statementsUnavailable`) when pg_stat_statements could not load. */
  statements: StatementCounter | null;
  statementsUnavailable?: string;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

async function onAdmin(url: string, fn: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Loads pg_stat_statements (needs a restart: it lives in shared memory). Returns why not, or undefined. */
async function enableStatementStats(pg: LocalPostgres): Promise<string | undefined> {
  try {
    await onAdmin(pg.url, (c) => c.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`));
    await pg.stop();
    await pg.start();
    await onAdmin(pg.url, (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
    return undefined;
  } catch (error) {
    if (!pg.running) await pg.start();
    return `pg_stat_statements unavailable: ${(error as Error).message}`;
  }
}

/**
 * A Postgres of the benchmark's own (embedded binaries via the test harness) with a database
 * prepared by `prepare` (the benchmark passes our `migrate`; injected so this file does not load
 * the Prisma client), and pg_stat_statements loaded so queries per request can be counted
 * exactly (pg_stat_database counters reach shared memory up to 10 s late; these do not).
 */
export async function startBenchDatabase(prepare: (url: string) => Promise<unknown>): Promise<BenchDatabase> {
  const pg = await LocalPostgres.create();
  let counter: StatementCounter | null = null;
  try {
    const unavailable = await enableStatementStats(pg);
    await onAdmin(pg.url, (c) => c.query(`CREATE DATABASE ${BENCH_DATABASE_NAME}`));
    const url = new URL(pg.url);
    url.pathname = `/${BENCH_DATABASE_NAME}`;
    await prepare(url.toString());
    if (!unavailable) counter = await StatementCounter.connect(pg.url, BENCH_DATABASE_NAME);
    return {
      url: url.toString(),
      statements: counter,
      statementsUnavailable: unavailable,
      destroy: async () => {
        await counter?.close();
        await pg.destroy();
      },
    };
  } catch (error) {
    await counter?.close();
    await pg.destroy();
    throw new AuthBenchError('DB_SETUP_FAILED', `benchmark database setup failed: ${(error as Error).message}`, { cause: error });
  }
}
