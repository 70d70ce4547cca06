import { Client } from 'pg';
import type { ChildServer } from './childServer';
import { checkKeyVerification, keyVerifyRequests, writeCalls } from './keyVerifyLoad';
import { runLoad } from './load';
import { measureWindow } from './measureWindow';
import { roundOrder } from './measureServers';
import type { AuthBenchOptions } from './options';
import { StatementCounter } from './StatementCounter';
import type { StatementRow } from './statementSummary';
import { ratio, round } from './stats';
import { GetSessionTally } from './tally';
import type { GetSessionFigures } from './figures';

export const STOCK_KEYS_DATABASE = 'stock_keys';

export interface KeyVerifyFigures extends GetSessionFigures {
  /** INSERT/UPDATE/DELETE statements per verification (pg_stat_statements); null without it. */
  writesPerRequest: number | null;
}

export interface KeyServer {
  server: ChildServer;
  keys: string[];
  statements: StatementCounter | null;
}

/** Verification figures of one server: the getSession tally plus writes. */
class KeyVerifyTally {
  readonly #load = new GetSessionTally();
  #writes: number | null = 0;

  add(window: Parameters<GetSessionTally['add']>[0]): void {
    this.#load.add(window);
    this.#writes = window.statements && this.#writes !== null ? this.#writes + writeCalls(window.statements as StatementRow[]) : null;
  }

  figures(): KeyVerifyFigures {
    const load = this.#load.figures();
    return { ...load, writesPerRequest: this.#writes === null || load.sent === 0 ? null : round(this.#writes / load.sent, 4) };
  }
}

/** A database for the stock key server on the benchmark's Postgres (its own tables, its own statement count). */
export async function createStockKeysDatabase(benchUrl: string): Promise<{ url: string; adminUrl: string }> {
  const admin = new URL(benchUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${STOCK_KEYS_DATABASE}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = new URL(benchUrl);
  url.pathname = `/${STOCK_KEYS_DATABASE}`;
  return { url: url.toString(), adminUrl: admin.toString() };
}

/** Keys on ours, created through its API by seeded users (bearer), with a limit the load never reaches. */
export async function createOursKeys(url: string, tokens: string[], count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/api/auth/api-key/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
      body: JSON.stringify({ name: `bench-${i}`, rateLimit: { max: 1_000_000, windowMs: 60_000 } }),
    });
    const body = (await response.json()) as { key?: string };
    if (response.status !== 200 || !body.key) throw new Error(`ours: creating a key answered ${response.status} ${JSON.stringify(body)}`);
    keys.push(body.key);
  }
  return keys;
}

/**
 * Key verification on every server side by side: checked (valid and wrong key), warmed up,
 * then measured in alternating rounds like getSession, each window counting server CPU and
 * the statements (and writes) of that server's own database.
 */
export async function measureKeyVerification(servers: KeyServer[], options: AuthBenchOptions): Promise<KeyVerifyFigures[]> {
  for (const s of servers) await checkKeyVerification(s.server.name, s.server.url, s.keys[0]);
  const requests = servers.map((s) => keyVerifyRequests(s.keys));
  for (const [i, s] of servers.entries()) await runLoad(s.server.url, requests[i], options.connections, options.warmupSeconds);
  const roundSeconds = Math.max(1, Math.round(options.durationSeconds / options.rounds));
  const tallies = servers.map(() => new KeyVerifyTally());
  for (let r = 0; r < options.rounds; r++) {
    for (const i of roundOrder(servers.length, r)) {
      const { server, statements } = servers[i];
      tallies[i].add(await measureWindow(server, statements, () => runLoad(server.url, requests[i], options.connections, roundSeconds)));
    }
  }
  return tallies.map((t) => t.figures());
}

const clean = (f: KeyVerifyFigures | null) => (f && f.requests > 0 && f.non2xx === 0 && f.errors === 0 ? f : null);

/** Metrics and table rows of the key phase; ratios are ours ÷ stock, null when a side is missing or unclean. */
export function keyVerifyReport(stock: KeyVerifyFigures | null, ours: KeyVerifyFigures | null, notes: Record<string, unknown>) {
  const s = clean(stock);
  const o = clean(ours);
  const row = (server: string, f: KeyVerifyFigures | null) =>
    f
      ? { server, 'key verify req/s': round(f.rps, 0), 'p50 ms': round(f.p50Ms), 'p99 ms': round(f.p99Ms), 'CPU ms/req': round(f.cpuMsPerRequest, 3), 'queries/req': f.statements?.queriesPerRequest ?? 'n/a', 'writes/req': f.writesPerRequest ?? 'n/a' }
      : { server, 'key verify req/s': '—' };
  return {
    metrics: {
      keyVerify: { ...notes, stock: stock ?? 'not available', ours: ours ?? 'not available' },
      key_verify_rps_vs_stock_ratio: ratio(o?.rps, s?.rps),
      key_verify_p99_vs_stock_ratio: ratio(o?.p99Ms, s?.p99Ms),
      key_verify_cpu_per_req_vs_stock_ratio: ratio(o?.cpuMsPerRequest, s?.cpuMsPerRequest),
      key_verify_writes_per_req_ours: o?.writesPerRequest ?? null,
      key_verify_writes_per_req_stock: s?.writesPerRequest ?? null,
    },
    rows: [row('key verify: stock @better-auth/api-key', stock), row('key verify: ours', ours)],
  };
}
