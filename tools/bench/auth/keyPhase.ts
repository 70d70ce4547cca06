import { freePort } from '@tools/test-harness';
import { ChildServer } from './childServer';
import { createOursKeys, createStockKeysDatabase, keyVerifyReport, measureKeyVerification, STOCK_KEYS_DATABASE, type KeyServer } from './keyVerify';
import type { AuthBenchOptions } from './options';
import { StatementCounter } from './StatementCounter';

export interface KeyPhaseInput {
  /** URL of the migrated benchmark database (ours runs on it). */
  benchUrl: string;
  /** Counts statements in the benchmark database (ours); null without pg_stat_statements. */
  oursStatements: StatementCounter | null;
  ours: ChildServer | null;
  /** Bearer tokens of seeded users: ours creates its keys through its own API with them. */
  tokens: string[];
  secret: string;
  options: AuthBenchOptions;
  /** Every server started here is added, so the caller stops it. */
  running: Set<ChildServer>;
}

/** Keys per server; autocannon cycles through them (each is cached after its first check). */
const KEYS = 50;

/** Why the stock plugin cannot run here, or undefined when it can. */
function stockUnavailable(): string | undefined {
  try {
    require.resolve('@better-auth/api-key');
    return undefined;
  } catch {
    return '@better-auth/api-key is not installed (npm ci installs the pinned devDependency)';
  }
}

/**
 * The key-verification phase of `npm run bench -- auth`: ours (the app's lean verify route)
 * against stock Better-Auth with `@better-auth/api-key` on its own database of the same
 * Postgres. Returns the metrics and rows to merge into the auth report.
 */
export async function runKeyPhase(input: KeyPhaseInput) {
  const servers: KeyServer[] = [];
  const notes: Record<string, unknown> = {
    request: 'POST /api/auth/api-key/verify {"key"} rotating over 50 keys per server; same connections, warm-up and alternating rounds as getSession',
    stockSetup: '@better-auth/api-key 1.7.5 (latest published; none for 1.7.25), default options + rateLimit enabled with an unreachable limit, Kysely/pg pool of 10, tables from getMigrations; verify via auth.api.verifyApiKey (server-only endpoint) in a node:http handler',
    oursSetup: 'the app (main.ts, no REDIS_URL: L1 cache, per-key limit counted in memory), keys created through /api/auth/api-key/create',
    writes: 'INSERT/UPDATE/DELETE statements from pg_stat_statements of each server’s own database ÷ verifications sent',
  };
  let stockCounter: StatementCounter | null = null;
  try {
    const missing = stockUnavailable();
    if (missing) notes['stock_reason'] = missing;
    else {
      const stockDb = await createStockKeysDatabase(input.benchUrl);
      const stock = await ChildServer.start({ name: 'stock-keys', script: 'tools/bench/auth/stockKeyServer.ts', port: await freePort(), env: { DATABASE_URL: stockDb.url, BETTER_AUTH_SECRET: input.secret, BENCH_KEYS: String(KEYS) } });
      input.running.add(stock);
      const { keys } = (await (await fetch(`${stock.url}/bench/keys`)).json()) as { keys: string[] };
      stockCounter = input.oursStatements ? await StatementCounter.connect(stockDb.adminUrl, STOCK_KEYS_DATABASE) : null;
      servers.push({ server: stock, keys, statements: stockCounter });
    }
    let oursMeasured = false;
    if (!input.ours) notes['ours_reason'] = 'the app is not available';
    else {
      try {
        servers.push({ server: input.ours, keys: await createOursKeys(input.ours.url, input.tokens, KEYS), statements: input.oursStatements });
        oursMeasured = true;
      } catch (error) {
        // e.g. the A/A check (AUTH_BENCH_APP_ENTRY=stockServer.ts) has no key plugin: a finding, not a crash.
        notes['ours_reason'] = (error as Error).message;
      }
    }
    if (servers.length === 0) return keyVerifyReport(null, null, notes);
    console.log(`measuring key verification on ${servers.map((s) => s.server.name).join(', ')} …`);
    const figures = await measureKeyVerification(servers, input.options);
    const stockFigures = missing ? null : figures[0];
    const oursFigures = oursMeasured ? figures[figures.length - 1] : null;
    return keyVerifyReport(stockFigures, oursFigures, notes);
  } finally {
    await stockCounter?.close();
  }
}
