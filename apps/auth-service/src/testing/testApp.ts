import { Writable } from 'node:stream';
import { migrate } from '@libs/database';
import { createMigratedDatabase } from '@libs/database/testing';
import { freePort, harnessRedisUrl, startDedicatedPostgres, startPostgresWithReplica, type LocalPostgres, type PostgresWithReplica, type TestDatabase } from '@tools/test-harness';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { loadConfig } from '../config';
import { createAppContext, type AppContext } from '../context';
import { closeApp, type CloseOptions, type CloseReport } from '../lifecycle';
import { buildApp } from '../app';
import { createFastify } from '../server';

export interface TestApp {
  url: string;
  app: FastifyInstance;
  context: AppContext;
  /** Every log line the app wrote (JSON), to check what is and is not logged. */
  logs: string[];
  /** The app's own close sequence (`closeApp`), with the test bounds below; slow steps go to stderr too. */
  close(): Promise<CloseReport>;
}

export interface TestAppOptions {
  /** Use this database (shared by several instances) instead of a fresh one. */
  database?: TestDatabase;
  /** Use this (already migrated) Postgres URL, e.g. a dedicated server the test will stop. */
  databaseUrl?: string;
  /** Use the harness Redis (L1 + L2 + invalidation bus). @default false */
  redis?: boolean;
  env?: Record<string, string>;
  /**
   * Wait until `/health/ready` answers 200 before returning (the database connection is opened in
   * the background). Off for tests that start the app with its database down. @default true
   */
  waitReady?: boolean;
  /** Bounds of `close()` (the close sequence's own tests shorten them). @default TEST_CLOSE_BOUNDS */
  closeBounds?: Partial<Omit<CloseOptions, 'log'>>;
  /** Sees every route the app registers (an `onRoute` hook added before `buildApp`). */
  onRoute?: (route: RouteOptions) => void;
}

/**
 * What every test app runs with unless a test says otherwise: the low-cost password hash (the
 * suites that check hashing set `PASSWORD_HASH_COST: 'standard'`), and load shedding only for a
 * stall no test should see (a Jest worker on a loaded machine stalls for seconds; the shedding
 * itself is tested in http/underPressure.test.ts).
 */
export const TEST_APP_ENV = {
  PASSWORD_HASH_COST: 'test',
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '10000',
} as const;

/** Close bounds of a test app: short drain (no real client waits), generous per closer (a loaded machine). */
const TEST_CLOSE_BOUNDS = { drainGraceMs: 1_000, closerDeadlineMs: 10_000, slowMs: 1_000 } as const;

/** How long `startTestApp` waits for readiness: a loaded CI machine can take seconds. */
const READY_DEADLINE_MS = 30_000;

async function waitUntilReady(url: string): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  let last = 0;
  while (Date.now() < deadline) {
    last = await fetch(`${url}/health/ready`).then((r) => r.status, () => 0);
    if (last === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the test app was not ready within ${READY_DEADLINE_MS} ms (last /health/ready: ${last})`);
}

/** A migrated fresh database on the harness Postgres, for one test file (a clone of the run's migrated template). */
export function migratedDatabase(prefix: string): Promise<TestDatabase> {
  return createMigratedDatabase(prefix);
}

/** The real app on a real Postgres (and Redis when asked), listening on a free port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownDatabase = options.database || options.databaseUrl ? undefined : await migratedDatabase('app');
  const databaseUrl = options.databaseUrl ?? (options.database ?? ownDatabase)!.url;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: 'test-secret-that-is-long-enough-0123456789',
    // Flows tests sign in many times from one address; the limits have tests of their own.
    AUTH_RATE_LIMIT: 'off',
    ...TEST_APP_ENV,
    ...(options.redis ? { REDIS_URL: harnessRedisUrl() } : {}),
    ...options.env,
  });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = createFastify(config, { stream });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  const context = await createAppContext(config, app.log);
  await buildApp(app, context);
  await app.listen({ host: config.HOST, port: config.PORT });
  const url = `http://127.0.0.1:${config.PORT}`;
  if (options.waitReady !== false) await waitUntilReady(url);
  return {
    url,
    app,
    context,
    logs,
    async close() {
      const bounds = { ...TEST_CLOSE_BOUNDS, ...options.closeBounds };
      const report = await closeApp(app, context.closers, { log: app.log, ...bounds });
      const notable = report.steps.filter((step) => step.outcome !== 'closed' || step.ms > bounds.slowMs);
      if (notable.length) process.stderr.write(`[test app] close on port ${config.PORT}: ${notable.map((s) => `${s.name} ${s.outcome} after ${s.ms} ms`).join('; ')}\n`);
      await ownDatabase?.drop();
      return report;
    },
  };
}

/** Two app instances on one fresh database and the harness Redis (cache bus between them), both with `env`. */
export async function startTwoInstances(prefix: string, env?: Record<string, string>): Promise<{ a: TestApp; b: TestApp; close(): Promise<void> }> {
  const database = await migratedDatabase(prefix);
  const a = await startTestApp({ database, redis: true, env });
  const b = await startTestApp({ database, redis: true, env });
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await database.drop();
    },
  };
}

/** The app on a Postgres of its own that the test may stop and restart. */
export async function startAppOnDedicatedPostgres(options: Omit<TestAppOptions, 'database' | 'databaseUrl'> = {}): Promise<{ app: TestApp; pg: LocalPostgres; close(): Promise<void> }> {
  const pg = await startDedicatedPostgres();
  await migrate(pg.url);
  const app = await startTestApp({ ...options, databaseUrl: pg.url });
  return {
    app,
    pg,
    async close() {
      await app.close();
      await pg.destroy();
    },
  };
}

/**
 * A migrated primary with a streaming replica (caught up), and the app on it reading lag-tolerant
 * queries from the replica. `replicaEnv` sets the router (`DATABASE_READ_YOUR_WRITES_MS` …) on top
 * of a 100 ms lag check and a 60 s lag bound, so a paused replica stays in use.
 */
export async function startAppOnReplicatedPostgres(options: Omit<TestAppOptions, 'database' | 'databaseUrl'> = {}): Promise<{ app: TestApp; pg: PostgresWithReplica }> {
  const pg = await startPostgresWithReplica();
  await migrate(pg.primaryUrl);
  await pg.waitForCatchUp();
  const app = await startTestApp({
    ...options,
    databaseUrl: pg.primaryUrl,
    env: { DATABASE_REPLICA_URLS: pg.replicaUrl, DATABASE_REPLICA_LAG_CHECK_MS: '100', DATABASE_REPLICA_MAX_LAG_MS: '60000', ...options.env },
  });
  return { app, pg };
}
