/**
 * `npm run bench -- scale`: on the stack of `npm run stack` (three instances behind HAProxy,
 * Postgres primary + streaming replica, Redis master + replica + three Sentinels, Prometheus): how fast a revocation and a ban written on one instance are
 * refused on the others; get-session throughput through HAProxy with 1, 2 and 3 instances and the
 * CPU each piece spends per request (so scaling to N cores is computed); replica lag under a fixed
 * rate of sign-ups; one instance SIGKILLed under load. Bounded, loopback only, and the stack is stopped at the end. See tools/bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type Stack } from '../stack/stack';
import { seedScaleUsers, setUserStatus, signIn, signInAdmin, signOut } from './scale/accounts';
import { killUnderLoad, type KillUnderLoad } from './scale/killUnderLoad';
import { propagationTrial, type PropagationTrial } from './scale/propagation';
import { measureReplicaLag } from './scale/replicaLag';
import { buildScaleReport } from './scale/scaleReport';
import { measureThroughput, type ThroughputRun } from './scale/throughput';
import { writeReport } from './report';

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

export function scaleBenchOptions() {
  return {
    users: int('SCALE_BENCH_USERS', 40),
    revocations: int('SCALE_BENCH_REVOCATIONS', 20),
    bans: int('SCALE_BENCH_BANS', 10),
    connections: int('SCALE_BENCH_CONNECTIONS', 32),
    warmupSeconds: int('SCALE_BENCH_WARMUP_SECONDS', 2),
    durationSeconds: int('SCALE_BENCH_SECONDS', 8),
    killRunSeconds: int('SCALE_BENCH_KILL_SECONDS', 10),
    killAfterSeconds: 3,
    lagSeconds: int('SCALE_BENCH_LAG_SECONDS', 10),
    signUpsPerSecond: int('SCALE_BENCH_SIGNUPS_PER_SECOND', 10),
    markerIntervalMs: 100,
  };
}

async function measure(stack: Stack, options: ReturnType<typeof scaleBenchOptions>) {
  console.log(`seeding ${options.users} users through HAProxy …`);
  // One password for the run, random so nothing guessable sits in the database.
  const password = `Scale-${randomBytes(12).toString('base64url')}`;
  const users = await seedScaleUsers(stack.url, options.users, password);
  const [a, ...others] = stack.appUrls;
  const observers = others.map((url, i) => ({ name: `app-${i + 2}`, url }));
  const admin = await signInAdmin(a, stack.admin);

  console.log(`propagation: ${options.revocations} sign-outs and ${options.bans} bans on app-1, watched on ${observers.map((o) => o.name).join(', ')} …`);
  const trials: PropagationTrial[] = [];
  for (let i = 0; i < options.revocations; i++) {
    const session = await signIn(a, users[i % (users.length - options.bans)].email, password);
    trials.push(await propagationTrial('revoke', session.token, observers, () => signOut(a, session.token)));
  }
  const banned = users.slice(users.length - options.bans);
  for (const user of banned) {
    const session = await signIn(a, user.email, password);
    trials.push(await propagationTrial('ban', session.token, observers, () => setUserStatus(a, admin.token, session.userId, 'BANNED')));
  }

  const tokens = users.slice(0, users.length - options.bans).map((u) => u.token);
  const throughput: ThroughputRun[] = [];
  for (const instances of [1, 2, 3].filter((n) => n <= stack.appUrls.length)) {
    console.log(`throughput: get-session through HAProxy with ${instances} instance(s), ${options.connections} connections, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s …`);
    throughput.push(await measureThroughput(stack, tokens, instances, options));
  }

  console.log(`replica lag: ${options.signUpsPerSecond} sign-ups/s through HAProxy for ${options.lagSeconds} s, a marker row every ${options.markerIntervalMs} ms …`);
  const replicaLag = await measureReplicaLag(stack, { ...options, password });

  console.log(`kill under load: ${options.killRunSeconds} s of load, SIGKILL of app-${stack.appUrls.length} after ${options.killAfterSeconds} s …`);
  const kill: KillUnderLoad = await killUnderLoad(stack, tokens, { ...options, durationSeconds: options.killRunSeconds });
  // A drained stop of the next one: SIGTERM, readiness answers draining for SHUTDOWN_DRAIN_DELAY_MS
  // (5 s in production), HAProxy takes it out, then in-flight requests finish.
  const remaining = stack.appUrls.length - 1;
  const drain: KillUnderLoad | null =
    remaining >= 2
      ? (console.log(`drained stop under load: ${options.killRunSeconds + 8} s of load, SIGTERM of app-${remaining} after ${options.killAfterSeconds} s …`),
        await killUnderLoad(stack, tokens, { ...options, durationSeconds: options.killRunSeconds + 8, signal: 'SIGTERM', instances: remaining }))
      : null;
  return { trials, throughput, kill, drain, replicaLag };
}

export async function run(): Promise<void> {
  const options = scaleBenchOptions();
  const stackDir = mkdtempSync(join(tmpdir(), 'scale-bench-'));
  console.log('starting the stack (3 instances, HAProxy, Prometheus, Postgres + replica, Redis + Sentinel) …');
  const stack = await startStack({ instances: 3, basePort: 'auto', stackDir, appEnv: { AUTH_RATE_LIMIT: 'off', LOG_LEVEL: 'warn' }, log: (line) => console.log(`  ${line}`) });
  const onSignal = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  let failed = true;
  try {
    const figures = await measure(stack, options);
    const { metrics, rows } = buildScaleReport({
      ...figures,
      config: {
        ...options,
        stack: 'tools/stack: 3 × dist/apps/auth-service/main.js (NODE_ENV=production, AUTH_RATE_LIMIT=off), HAProxy from deploy/haproxy.cfg, Postgres primary + 1 streaming replica (embedded binaries, fsync off; DATABASE_REPLICA_URLS), Redis master + replica + 3 Sentinels (REDIS_SENTINELS), Prometheus scraping',
        replica_lag: 'sign-ups through HAProxy at a fixed rate; meanwhile one marker row at a time INSERTed on the primary and SELECTed on the replica in a tight loop from its commit until found; pg_wal_lsn_diff(primary pg_current_wal_lsn, replica pg_last_wal_replay_lsn) and pg_stat_replication.replay_lag sampled every 200 ms; each instance\'s database_replica_lag_seconds scraped from /metrics every 500 ms (the app measures it every DATABASE_REPLICA_LAG_CHECK_MS = 1 s)',
        propagation: 'time from sending the write on app-1 to the first refused get-session (200 null / 401 / 403) on each other instance, polled directly one request at a time after it had served the session (cached)',
        cpu: '/proc/<pid>/stat utime+stime over the measured window ÷ requests sent; postgres = both postmasters (primary, replica) + their backends; redis = master, replica and the 3 Sentinels; load_generator = this process (autocannon)',
        note: 'all pieces and the load generator share the machine; figures from one run on a loaded machine',
      },
    });
    writeReport('scale', metrics, rows);
    failed = false;
  } finally {
    process.off('SIGINT', onSignal);
    await stack.stop();
    if (failed) console.error(`the stack's logs are kept in ${stackDir}/logs`);
    else rmSync(stackDir, { recursive: true, force: true });
  }
}
