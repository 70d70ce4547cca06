import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '@libs/database';
import { freePort, LocalPostgres } from '@tools/test-harness';
import { ChildServer } from '../bench/auth/childServer';
import { seedUsers, type BenchUser } from '../bench/auth/seed';

const DATABASE = 'chaos';

/** How a scenario takes Postgres down. */
export type PostgresKill = 'SIGKILL' | 'immediate';

export interface StartOursOptions {
  /** How readiness is told. @default { httpPath: '/health/live' } */
  ready?: { httpPath: string };
  /** Entry, relative to the repository root. @default the environment's `ours` (see `create`) */
  script?: string;
}

export interface ChaosEnvironmentOptions {
  /**
   * Our server's entry for every `startOurs` without a `script`: `BUILT_APP` (after `buildApp()`)
   * runs the bundle as deployed and starts in seconds; the TypeScript entry goes through tsx,
   * which compiles the app at each start. @default 'apps/auth-service/src/main.ts'
   */
  ours?: string;
}

/**
 * One Postgres of the runner's own (embedded binaries, loopback), a migrated database, users
 * signed up through stock Better-Auth, and the two servers under test started on demand: ours
 * (the app's main.ts, as deployed) and stock Better-Auth with pool error listeners ("guarded
 * stock": without them it exits on the first dropped connection).
 */
export class ChaosEnvironment {
  readonly secret = randomBytes(32).toString('base64url');
  readonly running = new Set<ChildServer>();
  users: BenchUser[] = [];
  #started = 0;

  private constructor(
    readonly pg: LocalPostgres,
    readonly url: string,
    readonly ours: string,
  ) {}

  static async create(userCount: number, options: ChaosEnvironmentOptions = {}): Promise<ChaosEnvironment> {
    const pg = await LocalPostgres.create();
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    const url = new URL(pg.url);
    url.pathname = `/${DATABASE}`;
    await migrate(url.toString());
    const env = new ChaosEnvironment(pg, url.toString(), options.ours ?? 'apps/auth-service/src/main.ts');
    const stock = await env.startStock();
    env.users = await seedUsers(stock.url, userCount, 4);
    await env.stop(stock);
    return env;
  }

  /**
   * Our server with `extra` added to its environment, from `script` or the environment's `ours`:
   * `main.ts` through tsx compiles the app in-process (~265 MB of RSS before any request), the
   * built entry (see `buildApp`) runs it as deployed.
   */
  async startOurs(extra: Record<string, string> = {}, options: StartOursOptions = {}): Promise<ChildServer> {
    const { ready = { httpPath: '/health/live' }, script = this.ours } = options;
    const server = await ChildServer.start({
      name: 'ours',
      script,
      port: await freePort(),
      env: { DATABASE_URL: this.url, BETTER_AUTH_SECRET: this.secret, LOG_LEVEL: process.env['CHAOS_LOG_LEVEL'] ?? 'warn', HOST: '127.0.0.1', AUTH_RATE_LIMIT: 'off', METRICS_PROCESS: 'on', ...extra },
      ready,
      // Through tsx the app compiles at start: on a loaded 2-core machine that alone took over a minute.
      startTimeoutMs: 180_000,
      ...this.#logFile('ours'),
    });
    this.running.add(server);
    return server;
  }

  /** Stock Better-Auth with `extra` added to its environment (another `DATABASE_URL`, say). */
  async startStock(extra: Record<string, string> = {}): Promise<ChildServer> {
    const server = await ChildServer.start({ name: 'stock', script: 'tools/bench/auth/stockServer.ts', port: await freePort(), env: { DATABASE_URL: this.url, BETTER_AUTH_SECRET: this.secret, ...extra }, ...this.#logFile('stock') });
    this.running.add(server);
    return server;
  }

  /** `CHAOS_LOG_DIR`: where each server's whole output is kept (`<name>-<n>.log`); unset: only the last lines. */
  #logFile(name: string): { logFile?: string } {
    const dir = process.env['CHAOS_LOG_DIR'];
    if (!dir) return {};
    mkdirSync(dir, { recursive: true });
    return { logFile: join(dir, `${name}-${++this.#started}.log`) };
  }

  async stop(server: ChildServer): Promise<void> {
    await server.stop().catch(() => undefined);
    this.running.delete(server);
  }

  async killPostgres(how: PostgresKill): Promise<void> {
    if (how === 'SIGKILL') await this.pg.kill();
    else await this.pg.stop();
  }

  async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  async destroy(): Promise<void> {
    for (const server of [...this.running]) await this.stop(server);
    await this.pg.destroy();
  }
}
