/**
 * `npm run bench -- scale`: on the stack of `npm run stack` (three instances behind HAProxy, one
 * Postgres, one Redis, Prometheus): how fast a revocation and a ban written on one instance are
 * refused on the others; get-session throughput through HAProxy with 1, 2 and 3 instances and the
 * CPU each piece spends per request (so scaling to N cores is computed); one instance SIGKILLed
 * under load. Bounded, loopback only, and the stack is stopped at the end. See tools/bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type Stack } from '../stack/stack';
import { seedScaleUsers, setUserStatus, signIn, signInAdmin, signOut } from './scale/accounts';
import { killUnderLoad, type KillUnderLoad } from './scale/killUnderLoad';
import { propagationTrial, type PropagationTrial } from './scale/propagation';
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

  console.log(`kill under load: ${options.killRunSeconds} s of load, SIGKILL of app-${stack.appUrls.length} after ${options.killAfterSeconds} s …`);
  const kill: KillUnderLoad = await killUnderLoad(stack, tokens, { ...options, durationSeconds: options.killRunSeconds });
  return { trials, throughput, kill };
}

export async function run(): Promise<void> {
  const options = scaleBenchOptions();
  const stackDir = mkdtempSync(join(tmpdir(), 'scale-bench-'));
  console.log('starting the stack (3 instances, HAProxy, Prometheus, Postgres, Redis) …');
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
        stack: 'tools/stack: 3 × dist/apps/auth-service/main.js (NODE_ENV=production, AUTH_RATE_LIMIT=off), HAProxy from deploy/haproxy.cfg, Postgres (embedded binaries, fsync off), Redis, Prometheus scraping',
        propagation: 'time from sending the write on app-1 to the first refused get-session (200 null / 401 / 403) on each other instance, polled directly one request at a time after it had served the session (cached)',
        cpu: '/proc/<pid>/stat utime+stime over the measured window ÷ requests sent; postgres = postmaster + backends; load_generator = this process (autocannon)',
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
