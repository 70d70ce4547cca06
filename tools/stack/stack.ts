import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startLocalSmtp, waitFor, type LocalSmtp, type ReceivedMail } from '@tools/test-harness';
import { startApp } from './pieces/app';
import { startHaproxy } from './pieces/haproxy';
import { startPatroni, type PatroniPiece } from './pieces/patroni';
import { startPostgres, type PostgresEndpoints } from './pieces/postgres';
import { startPrometheus } from './pieces/prometheus';
import { startRedis, type RedisEndpoints } from './pieces/redis';
import { DEFAULT_BASE_PORT, planPorts, type StackPorts } from './ports';
import { isRunning, stopPiece, waitUntilGone, type RunningPiece } from './processes';
import { StackError } from './StackError';
import { clearState, defaultStackDir, prepareStackDir, readState, REPO_ROOT, writeSecrets, writeState, type StackState } from './stackState';

export interface StackOptions {
  /** App instances behind HAProxy. @default 3 */
  instances: number;
  /** First port (`STACK_BASE_PORT`), or 'auto' for free ports anywhere (tests, benchmarks). @default 7400 */
  basePort: number | 'auto';
  /** @default `STACK_DIR` or `.data/stack` */
  stackDir: string;
  /** Postgres streaming replicas: 0 or 1 (`--replicas 0`). @default 1 */
  replicas: number;
  /** Redis master + replica behind three Sentinels; false: one redis-server (`--no-sentinel`). @default true */
  sentinel: boolean;
  /**
   * `--ha`: Postgres as a Patroni cluster (one etcd, `haMembers` Patroni-managed Postgres in
   * synchronous_mode, HAProxy's write port on `GET /primary` and read port on `GET /replica`)
   * instead of a primary and `replicas`. @default false
   */
  ha: boolean;
  /** Patroni members with `ha` (`--members 2`). @default 3 */
  haMembers: 2 | 3;
  /** Runs `nx run auth-service:build` first (a cache hit when nothing changed). @default true */
  build: boolean;
  /** Added to every instance's environment. @default {} */
  appEnv: Record<string, string>;
  /** Progress lines. @default console.log */
  log: (line: string) => void;
}

export function defaultStackOptions(env: NodeJS.ProcessEnv = process.env): StackOptions {
  return {
    instances: 3,
    basePort: env.STACK_BASE_PORT ? Number(env.STACK_BASE_PORT) : DEFAULT_BASE_PORT,
    stackDir: defaultStackDir(env),
    replicas: 1,
    sentinel: true,
    ha: false,
    haMembers: 3,
    build: true,
    appEnv: {},
    log: (line) => console.log(line),
  };
}

export interface Stack {
  stackDir: string;
  ports: StackPorts;
  pieces: RunningPiece[];
  /** HAProxy's frontend: the public URL. */
  url: string;
  statsUrl: string;
  prometheusUrl: string;
  /** Each instance, directly (not through HAProxy). */
  appUrls: string[];
  adminSocket: string;
  admin: { email: string; password: string };
  postgres: PostgresEndpoints;
  /** With `ha`: the Patroni members' REST APIs, the Postgres HAProxy's stats page and exporter, etcd. */
  patroni?: { restUrls: Record<string, string>; statsUrl: string; metricsUrl: string; etcdUrl: string };
  redis: RedisEndpoints;
  /** The SMTP server the instances send through (in this process; each mail also in `<stack>/logs/mail.log`). */
  mail: { url: string; messages: readonly ReceivedMail[] };
  droppedJobs: string[];
  stop(): Promise<void>;
}

function buildApp(log: (line: string) => void): void {
  log('building the app (nx run auth-service:build) …');
  const result = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'nx'), ['run', 'auth-service:build', '--outputStyle=static'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new StackError('BUILD_FAILED', `nx run auth-service:build failed:\n${`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n')}`);
}

/** Like Promise.all, but waits for every task, so each piece that did start is recorded (and stopped) before the first failure is thrown. */
async function settleAll<T extends unknown[]>(tasks: [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}

/** Whether a stack recorded in `stackDir` still has a live owner or piece. */
export function liveState(stackDir: string): StackState | undefined {
  const state = readState(stackDir);
  if (!state) return undefined;
  const alive = (state.ownerPid !== process.pid && isRunning(state.ownerPid)) || state.pieces.some((p) => isRunning(p.pid, p.commandMatch));
  return alive ? state : undefined;
}

/**
 * Starts the topology on 127.0.0.1 — Postgres (+ replica) and Redis (+ replica and Sentinels), the
 * instances, HAProxy, Prometheus — and
 * resolves once HAProxy answers `/health/ready`. Whatever started is stopped again if a later
 * piece fails. The caller owns the stack: `stop()` (or `stopStack(stackDir)` from elsewhere).
 */
export async function startStack(overrides: Partial<StackOptions> = {}): Promise<Stack> {
  const options = { ...defaultStackOptions(), ...overrides };
  const { stackDir, log } = options;
  if (!Number.isInteger(options.instances) || options.instances < 1 || options.instances > 16) {
    throw new StackError('UNSUPPORTED_OPTION', `instances must be 1–16, not ${options.instances}`);
  }
  const running = liveState(stackDir);
  if (running) throw new StackError('ALREADY_RUNNING', `a stack already runs from ${stackDir} (pid ${running.ownerPid}): npm run stack -- stop`);
  clearState(stackDir);
  prepareStackDir(stackDir);
  if (options.build) buildApp(log);
  if (options.replicas !== 0 && options.replicas !== 1) throw new StackError('UNSUPPORTED_OPTION', `replicas must be 0 or 1, not ${options.replicas}`);
  if (options.haMembers !== 2 && options.haMembers !== 3) throw new StackError('UNSUPPORTED_OPTION', `members must be 2 or 3, not ${String(options.haMembers)}`);
  // With `ha` the Patroni cluster picks its own free ports (printed in the table).
  const ports = await planPorts(options.basePort, options.instances, { replicas: options.ha ? 0 : options.replicas, sentinel: options.sentinel });
  const admin = { email: 'admin@stack.local', password: `Stack-${randomBytes(12).toString('base64url')}` };
  const secret = randomBytes(32).toString('hex');
  writeSecrets(stackDir, { BETTER_AUTH_SECRET: secret, BOOTSTRAP_ADMIN_EMAIL: admin.email, BOOTSTRAP_ADMIN_PASSWORD: admin.password });
  const state: StackState = { ownerPid: process.pid, startedAt: new Date().toISOString(), ports, pieces: [], adminEmail: admin.email, droppedJobs: [] };
  const record = (...pieces: RunningPiece[]) => {
    state.pieces.push(...pieces);
    writeState(stackDir, state);
  };
  const url = `http://127.0.0.1:${ports.haproxy}`;
  const appUrls = ports.apps.map((port) => `http://127.0.0.1:${port}`);
  const adminSocket = join(stackDir, 'run', 'haproxy.sock');
  let mail: LocalSmtp | undefined;
  try {
    // Production needs SMTP_URL: an SMTP server in this (the owner's) process keeps what the
    // instances send and writes it to logs/mail.log, where the reset and verification links are.
    mail = await startLocalSmtp({ onMail: (m) => appendFileSync(join(stackDir, 'logs', 'mail.log'), `${new Date().toISOString()} to ${m.to.join(', ')}: ${m.subject}\n${m.text}\n`) });
    const smtpUrl = mail.url;
    const replica = ports.postgresReplica ? ` (replica ${ports.postgresReplica})` : '';
    const sentinels = ports.sentinels ? ` (replica ${ports.redisReplica}, Sentinels ${ports.sentinels.join(', ')})` : '';
    const postgresLine = options.ha ? `a Patroni cluster (etcd, ${options.haMembers} members, HAProxy write/read ports)` : `Postgres on ${ports.postgres}${replica}`;
    log(`starting ${postgresLine} and Redis on ${ports.redis}${sentinels} …`);
    let patroni: PatroniPiece | undefined;
    const startDatabase = async (): Promise<PostgresEndpoints> => {
      if (options.ha) {
        patroni = await startPatroni({ members: options.haMembers });
        record(...patroni.pieces);
        return patroni.endpoints;
      }
      const pg = await startPostgres({ port: ports.postgres, replicas: options.replicas, replicaPort: ports.postgresReplica });
      record(...pg.pieces);
      return pg;
    };
    const [postgres, redis] = await settleAll([
      startDatabase(),
      startRedis({ port: ports.redis, stackDir, repoRoot: REPO_ROOT, sentinel: options.sentinel, replicaPort: ports.redisReplica, sentinelPorts: ports.sentinels, log }).then((r) => (record(...r.pieces), r)),
    ]);
    log(`starting ${options.instances} app instance(s) on ${ports.apps.join(', ')} …`);
    await settleAll(
      ports.apps.map((port, i) =>
        startApp({ index: i + 1, port, repoRoot: REPO_ROOT, stackDir, postgres, redis, secret, publicUrl: url, trustedOrigins: appUrls, admin, smtpUrl, extraEnv: options.appEnv }).then(
          (piece) => record(piece),
        ),
      ),
    );
    log(`starting HAProxy on ${ports.haproxy} and Prometheus on ${ports.prometheus} …`);
    const servers = ports.apps.map((port, i) => ({ name: `app-${i + 1}`, port }));
    // This run's own stats credentials (loopback only; printed with the stats URL).
    const statsAuth = { user: 'stack', password: randomBytes(12).toString('hex') };
    const [, prometheus] = await settleAll([
      startHaproxy({ port: ports.haproxy, statsPort: ports.haproxyStats, statsAuth, servers, adminSocket, repoRoot: REPO_ROOT, stackDir, log }).then((piece) => record(piece)),
      startPrometheus({ port: ports.prometheus, appTargets: ports.apps.map((port) => `127.0.0.1:${port}`), otherTargets: patroni && patroniTargets(patroni), repoRoot: REPO_ROOT, stackDir, log }).then((p) => {
        state.droppedJobs = p.droppedJobs;
        record(p.piece);
        return p;
      }),
    ]);
    await waitFor(async () => {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`answered ${response.status}`);
    }, 30_000, `HAProxy ${url}/health/ready`);
    return {
      stackDir,
      ports,
      pieces: state.pieces,
      url,
      statsUrl: `http://${statsAuth.user}:${statsAuth.password}@127.0.0.1:${ports.haproxyStats}/`,
      prometheusUrl: prometheus.piece.url,
      appUrls,
      adminSocket,
      admin,
      postgres: { primaryUrl: postgres.primaryUrl, replicaUrls: postgres.replicaUrls },
      patroni: patroni && { restUrls: patroni.restUrls, statsUrl: patroni.statsUrl, metricsUrl: patroni.metricsUrl, etcdUrl: patroni.etcdUrl },
      redis: { url: redis.url, sentinels: redis.sentinels, sentinelMaster: redis.sentinelMaster },
      mail: { url: smtpUrl, messages: mail.messages },
      droppedJobs: prometheus.droppedJobs,
      stop: async () => {
        await stopStack(stackDir);
        await mail?.close();
      },
    };
  } catch (error) {
    await stopPieces(stackDir, state.pieces).catch(() => undefined);
    await mail?.close();
    clearState(stackDir);
    throw error;
  }
}

/** The Prometheus jobs of deploy/prometheus/prometheus.yml that scrape the Patroni cluster. */
function patroniTargets(patroni: PatroniPiece): Record<string, string[]> {
  return { patroni: Object.values(patroni.restUrls).map((url) => new URL(url).host), 'haproxy-postgres': [new URL(patroni.metricsUrl).host] };
}

async function stopPieces(stackDir: string, pieces: RunningPiece[]): Promise<void> {
  // Front to back: nothing routes to an instance that is going, nothing uses a database that is.
  // With `--ha`: the Postgres HAProxy, every Patroni at once (each stops its Postgres), etcd last.
  const order = ['haproxy', 'prometheus', 'app', 'sentinel', 'redis-replica', 'redis', 'postgres-replica', 'postgres', 'haproxy-postgres', 'patroni', 'etcd'];
  const rank = (piece: RunningPiece) => order.indexOf(piece.name.replace(/-\d+$/, ''));
  const byRank = new Map<number, RunningPiece[]>();
  for (const piece of pieces) byRank.set(rank(piece), [...(byRank.get(rank(piece)) ?? []), piece]);
  for (const r of [...byRank.keys()].sort((a, b) => a - b)) {
    await Promise.all(
      byRank.get(r)!.map((piece) => stopPiece(stackDir, piece)),
    );
  }
}

/**
 * Stops the stack recorded in `stackDir`: asks its owner (a foreground `npm run stack`) to stop
 * and waits for it, then stops whatever piece is still running (the owner was killed, say).
 * Returns the names of the pieces this call stopped.
 */
export async function stopStack(stackDir: string = defaultStackDir()): Promise<string[]> {
  const state = readState(stackDir);
  if (!state) return [];
  const runningBefore = state.pieces.filter((p) => isRunning(p.pid, p.commandMatch)).map((p) => p.name);
  if (state.ownerPid !== process.pid && isRunning(state.ownerPid)) {
    process.kill(state.ownerPid, 'SIGTERM');
    await waitUntilGone([state.ownerPid], 60_000);
  }
  await stopPieces(stackDir, state.pieces);
  clearState(stackDir);
  return runningBefore;
}

export interface PieceStatus {
  name: string;
  pid: number;
  url: string;
  running: boolean;
  log: string;
}

/** Each recorded piece and whether it runs; undefined when no stack is recorded in `stackDir`. */
export function stackStatus(stackDir: string = defaultStackDir()): { state: StackState; pieces: PieceStatus[] } | undefined {
  const state = readState(stackDir);
  if (!state) return undefined;
  return { state, pieces: state.pieces.map((p) => ({ name: p.name, pid: p.pid, url: p.url, log: p.log, running: isRunning(p.pid, p.commandMatch) })) };
}
