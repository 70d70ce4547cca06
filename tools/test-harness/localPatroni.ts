import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { patroniConfig, patroniHaproxyConfig, type PatroniMemberLayout } from './patroniConfig';
import { freePort, waitFor } from './ports';
import { findBinary, INSTALL_SCRIPT, requireBinary } from './requireBinary';
import { processAlive } from './processAlive';

/** Debian's postgresql-15: Patroni needs pg_rewind and pg_basebackup next to postgres. */
export const PATRONI_PG_BIN_DIR = '/usr/lib/postgresql/15/bin';

export interface PatroniClusterOptions {
  /** Patroni members, each managing one Postgres. @default 2 */
  nodes?: 2 | 3;
  /** `bootstrap.dcs.synchronous_mode`: a commit is acknowledged once the synchronous standby has it. @default false */
  synchronous?: boolean;
  /** How long startup may take (initdb, the replicas' base backups, HAProxy's first checks). @default 60_000 */
  startDeadlineMs?: number;
  /**
   * Runs etcd, Patroni and HAProxy in process groups of their own (`npm run stack`: Ctrl-C in the
   * terminal reaches only the owner, which stops them in order; they outlive an owner that was
   * killed, and `stop` from another shell finds them by pid). @default false
   */
  detached?: boolean;
  /** HAProxy's Prometheus exporter (`http-request use-service prometheus-exporter`) on a port of its own. @default false */
  haproxyMetrics?: boolean;
}

/** One process of the cluster, for a caller that records and stops processes by pid. */
export interface PatroniClusterProcess {
  name: string;
  pid: number;
  log: string;
}

export interface PatroniNode {
  name: string;
  /** Patroni's REST API (`/cluster`, `/primary`, `/replica`, `/health`). */
  restUrl: string;
  pgPort: number;
  /** Patroni's own process (the postmaster is its child). */
  pid: number;
  /** Patroni's output and its Postgres's. */
  log: string;
}

/** A member as `GET /cluster` reports it. */
export interface PatroniMemberState {
  name: string;
  role: 'leader' | 'replica' | 'sync_standby' | string;
  state: string;
  timeline?: number;
  lag?: number | string;
}

export interface PatroniCluster {
  /** Superuser URL (database `postgres`) through HAProxy's write port: always the current primary. */
  writeUrl: string;
  /** The same through HAProxy's read port: the replicas, round-robin. */
  readUrl: string;
  /** HAProxy's stats page. */
  statsUrl: string;
  /** HAProxy's Prometheus exporter (`haproxyMetrics: true`). */
  metricsUrl?: string;
  nodes: PatroniNode[];
  /** etcd and HAProxy (the members are `nodes`). */
  etcdProcess: PatroniClusterProcess;
  haproxyProcess: PatroniClusterProcess;
  /** The etcd client URL (the DCS). */
  etcdUrl: string;
  /** The cluster's directory (etcd's and each member's data, configs, logs); `stop()` removes it. */
  directory: string;
  /** Members as the first answering REST API reports them (`GET /cluster`). */
  members(): Promise<PatroniMemberState[]>;
  /** The name of the running leader, or throws when there is none right now. */
  primary(): Promise<string>;
  /** SIGKILLs the primary's postmaster (its Patroni stays up and sees the crash); resolves with its name. */
  killPrimary(): Promise<string>;
  /**
   * Resolves with the name of a running leader other than `excluding` once its REST API answers
   * `GET /primary` with 200 and HAProxy's write port reaches it.
   */
  waitForPrimary(excluding?: string, deadlineMs?: number): Promise<string>;
  /** Resolves once `name` runs as a streaming replica of the current leader on the leader's timeline. */
  waitForReplica(name: string, deadlineMs?: number): Promise<void>;
  /** Member `name`'s Patroni output so far (its log lines and its Postgres's). */
  memberLog(name: string): string;
  /** Stops HAProxy, every Patroni (and its Postgres) and etcd, by PID; removes the directory. */
  stop(): Promise<void>;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** Patroni (and Postgres) refuse to run as root: run them as Debian's `postgres` user then. */
function runAs(): RunAs {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['-f', 'postgres']);
    spawnSync('useradd', ['-r', '-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** A child process whose output goes to a log file; its tail is read when something fails. */
class Supervised {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;

  constructor(
    readonly label: string,
    binary: string,
    args: string[],
    readonly logFile: string,
    user: RunAs,
    env: Record<string, string>,
    detached = false,
  ) {
    const fd = openSync(logFile, 'a');
    try {
      this.child = spawn(binary, args, { ...user, detached, stdio: ['ignore', fd, fd], env: { ...process.env, LC_ALL: 'C', ...env } });
      if (detached) this.child.unref();
    } finally {
      closeSync(fd);
    }
    this.exited = new Promise((done) => this.child.once('exit', () => done()));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').slice(-3_000);
    } catch {
      return '';
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}


/** Clusters still running when the process exits (a test that forgot `stop()`, a crash). */
const live = new Set<() => void>();
let exitHookInstalled = false;
function stopLeftoversOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const kill of live) kill();
  });
}

/**
 * A Patroni cluster on loopback, in one fresh directory under os.tmpdir(): one etcd member as the
 * DCS, `nodes` Patroni members each managing a Postgres from Debian's postgresql-15, and HAProxy
 * with a write port (the primary) and a read port (the replicas) routed by Patroni's REST health
 * checks. Resolves once there is a leader, every other member streams from it (in synchronous mode,
 * one as the synchronous standby) and both HAProxy ports reach the right members.
 *
 * One etcd member is a single point of failure, fine for tests: production runs 3 or 5 etcd members
 * on separate machines (a quorum survives one or two losses), and Patroni on each database host
 * lists them all in `etcd3.hosts`.
 */
export async function startPatroniCluster(options: PatroniClusterOptions = {}): Promise<PatroniCluster> {
  const count = options.nodes ?? 2;
  const startDeadlineMs = options.startDeadlineMs ?? 60_000;
  const patroni = requireBinary('patroni');
  const etcd = requireBinary('etcd');
  const haproxy = requireBinary('haproxy');
  if (!findBinary(join(PATRONI_PG_BIN_DIR, 'pg_rewind'))) throw new Error(`${PATRONI_PG_BIN_DIR}/pg_rewind is not installed (Debian's postgresql-15): run \`sudo bash ${INSTALL_SCRIPT}\` once on this machine`);
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'bap-patroni-'));
  const own = (path: string) => {
    if (user.uid !== undefined) chownSync(path, user.uid, user.gid!);
  };
  own(dir);
  const mkdir = (path: string) => {
    mkdirSync(path, { mode: 0o700 });
    own(path);
    return path;
  };

  const scope = `bap-${randomBytes(4).toString('hex')}`;
  const superuser = { username: 'postgres', password: 'postgres' };
  const replication = { username: 'replicator', password: randomBytes(8).toString('hex') };
  const [etcdClientPort, etcdPeerPort, writePort, readPort, statsPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const metricsPort = options.haproxyMetrics ? await freePort() : undefined;
  const detached = options.detached ?? false;
  const layouts: PatroniMemberLayout[] = [];
  for (let i = 0; i < count; i++) layouts.push({ name: `pg${i}`, restPort: await freePort(), pgPort: await freePort(), dir: join(dir, `pg${i}`) });

  const processes: { etcd?: Supervised; haproxy?: Supervised; members: Supervised[] } = { members: [] };
  const dataDirs = layouts.map((l) => join(l.dir, 'data'));
  const killSync = () => {
    for (const p of [processes.haproxy, ...processes.members, processes.etcd]) if (p?.running) p.child.kill('SIGKILL');
    for (const dataDir of dataDirs) {
      const pid = postmasterPid(dataDir);
      if (pid && processAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const stop = async () => {
    live.delete(killSync);
    await processes.haproxy?.stop(5_000);
    // Patroni stops its Postgres (fast shutdown) on SIGTERM; all at once, so no member is left to promote.
    await Promise.all(processes.members.map((m) => m.stop(15_000)));
    // A Patroni that had to be SIGKILLed leaves its postmaster running.
    for (const dataDir of dataDirs) {
      const pid = postmasterPid(dataDir);
      if (pid && processAlive(pid)) process.kill(pid, 'SIGQUIT');
    }
    await processes.etcd?.stop(5_000);
    await waitFor(async () => {
      const left = dataDirs.map(postmasterPid).filter((pid): pid is number => pid !== undefined && processAlive(pid));
      if (left.length) throw new Error(`postmasters still running: ${left.join(', ')}`);
    }, 15_000, 'the postmasters to exit').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  stopLeftoversOnExit();
  live.add(killSync);

  const failed = (what: string, error: unknown) => {
    const logs = [processes.etcd, ...processes.members, processes.haproxy].filter((p): p is Supervised => !!p).map((p) => `--- ${p.label} ---\n${p.tail()}`);
    return new Error(`${what}: ${String(error)}\n${logs.join('\n')}`);
  };

  const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
  const restUrl = (l: PatroniMemberLayout) => `http://127.0.0.1:${l.restPort}`;
  const members = async (): Promise<PatroniMemberState[]> => {
    let lastError: unknown;
    for (const layout of layouts) {
      try {
        const { body } = await getJson<{ members?: PatroniMemberState[] }>(`${restUrl(layout)}/cluster`);
        return body.members ?? [];
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`no Patroni REST API answered /cluster: ${String(lastError)}`);
  };
  const primary = async () => {
    const leader = (await members()).find((m) => m.role === 'leader' && m.state === 'running');
    if (!leader) throw new Error('no running leader');
    return leader.name;
  };
  const layoutOf = (name: string) => {
    const layout = layouts.find((l) => l.name === name);
    if (!layout) throw new Error(`no member named ${name}`);
    return layout;
  };
  /** Which members HAProxy has UP behind each port (its stats page as CSV). */
  const haproxyUp = async (): Promise<{ primary: string[]; replicas: string[] }> => {
    const response = await fetch(`http://127.0.0.1:${statsPort}/;csv`, { signal: AbortSignal.timeout(2_000) });
    const up = { primary: [] as string[], replicas: [] as string[] };
    for (const line of (await response.text()).split('\n')) {
      const [proxy, server, ...fields] = line.split(',');
      // Column 18 (`status`): UP, DOWN, "UP 1/2" while rising and so on; only a settled UP counts.
      if ((proxy === 'primary' || proxy === 'replicas') && layouts.some((l) => l.name === server) && fields[15] === 'UP') up[proxy].push(server);
    }
    return up;
  };
  const pgUrl = (port: number) => `postgresql://${superuser.username}:${superuser.password}@127.0.0.1:${port}/postgres`;
  const writeUrl = pgUrl(writePort);
  const readUrl = pgUrl(readPort);

  const waitForPrimary = async (excluding?: string, deadlineMs = 30_000): Promise<string> => {
    let found = '';
    await waitFor(async () => {
      const name = await primary();
      if (name === excluding) throw new Error(`${name} is still the leader`);
      const { status } = await getJson(`${restUrl(layoutOf(name))}/primary`);
      if (status !== 200) throw new Error(`${name}'s /primary answered ${status}`);
      const { primary: behindWritePort } = await haproxyUp();
      if (behindWritePort.join() !== name) throw new Error(`HAProxy's write port has [${behindWritePort.join()}] up`);
      found = name;
    }, deadlineMs, `a primary other than ${excluding ?? '(none)'}`);
    return found;
  };
  const waitForReplica = async (name: string, deadlineMs = 30_000): Promise<void> => {
    await waitFor(async () => {
      const all = await members();
      const leader = all.find((m) => m.role === 'leader' && m.state === 'running');
      const member = all.find((m) => m.name === name);
      if (!leader || !member) throw new Error(`members: ${JSON.stringify(all)}`);
      if (!['replica', 'sync_standby'].includes(member.role) || !['running', 'streaming'].includes(member.state) || member.timeline !== leader.timeline) {
        throw new Error(`${name}: ${JSON.stringify(member)} (leader on timeline ${leader.timeline})`);
      }
      const { status } = await getJson(`${restUrl(layoutOf(name))}/replica`);
      if (status !== 200) throw new Error(`${name}'s /replica answered ${status}`);
    }, deadlineMs, `${name} streaming as a replica`);
  };

  try {
    processes.etcd = new Supervised(
      'etcd',
      etcd,
      [
        '--name', 'etcd0',
        '--data-dir', mkdir(join(dir, 'etcd')),
        '--listen-client-urls', etcdUrl,
        '--advertise-client-urls', etcdUrl,
        '--listen-peer-urls', `http://127.0.0.1:${etcdPeerPort}`,
        '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeerPort}`,
        '--initial-cluster', `etcd0=http://127.0.0.1:${etcdPeerPort}`,
        '--initial-cluster-token', scope,
        '--initial-cluster-state', 'new',
      ],
      join(dir, 'etcd.log'),
      user,
      { ETCD_UNSUPPORTED_ARCH: '' },
      detached,
    );
    await waitFor(async () => {
      if (!processes.etcd!.running) throw new Error('etcd exited');
      const { body } = await getJson<{ health?: string }>(`${etcdUrl}/health`);
      if (body.health !== 'true') throw new Error(`etcd health: ${JSON.stringify(body)}`);
    }, 15_000, 'etcd');

    for (const layout of layouts) {
      mkdir(layout.dir);
      const file = join(layout.dir, 'patroni.yml');
      const config = patroniConfig(layout, { scope, etcdClientPort, binDir: PATRONI_PG_BIN_DIR, superuser, replication, synchronous: options.synchronous ?? false });
      writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
      own(file);
      processes.members.push(new Supervised(layout.name, patroni, [file], join(layout.dir, 'patroni.log'), user, { HOME: layout.dir }, detached));
      // The first member bootstraps (initdb) alone; the others then take base backups from it.
      if (processes.members.length === 1) {
        await waitFor(async () => {
          if (!processes.members[0].running) throw new Error('patroni exited');
          await primary();
        }, startDeadlineMs, 'the first Patroni member to bootstrap');
      }
    }

    await waitFor(async () => {
      const dead = processes.members.find((m) => !m.running);
      if (dead) throw new Error(`${dead.label} exited`);
      const all = await members();
      const leader = all.find((m) => m.role === 'leader' && m.state === 'running');
      const replicas = all.filter((m) => ['replica', 'sync_standby'].includes(m.role) && ['running', 'streaming'].includes(m.state));
      if (!leader || replicas.length !== count - 1) throw new Error(`members: ${JSON.stringify(all)}`);
      if (options.synchronous && !replicas.some((m) => m.role === 'sync_standby')) throw new Error('no synchronous standby yet');
    }, startDeadlineMs, `${count} Patroni members`);

    const haproxyConfigFile = join(dir, 'haproxy.cfg');
    writeFileSync(haproxyConfigFile, patroniHaproxyConfig({ write: writePort, read: readPort, stats: statsPort, metrics: metricsPort }, layouts));
    processes.haproxy = new Supervised('haproxy', haproxy, ['-db', '-f', haproxyConfigFile], join(dir, 'haproxy.log'), {}, {}, detached);
    await waitForPrimary(undefined, 15_000);
    await waitFor(async () => {
      const [leader, { replicas: behindReadPort }] = [await primary(), await haproxyUp()];
      const expected = layouts.map((l) => l.name).filter((n) => n !== leader);
      if (behindReadPort.sort().join() !== expected.join()) throw new Error(`HAProxy's read port has [${behindReadPort.join()}] up, not [${expected.join()}]`);
    }, 15_000, 'the read port to reach the replicas only');
  } catch (error) {
    const wrapped = failed('the Patroni cluster did not start', error);
    await stop();
    throw wrapped;
  }

  return {
    writeUrl,
    readUrl,
    statsUrl: `http://127.0.0.1:${statsPort}/`,
    metricsUrl: metricsPort === undefined ? undefined : `http://127.0.0.1:${metricsPort}/metrics`,
    etcdUrl,
    directory: dir,
    nodes: layouts.map((l, i) => ({ name: l.name, restUrl: restUrl(l), pgPort: l.pgPort, pid: processes.members[i].child.pid!, log: processes.members[i].logFile })),
    etcdProcess: { name: 'etcd', pid: processes.etcd!.child.pid!, log: processes.etcd!.logFile },
    haproxyProcess: { name: 'haproxy', pid: processes.haproxy!.child.pid!, log: processes.haproxy!.logFile },
    members,
    primary,
    async killPrimary() {
      const name = await primary();
      const pid = postmasterPid(join(layoutOf(name).dir, 'data'));
      if (!pid) throw new Error(`${name} has no postmaster.pid`);
      process.kill(pid, 'SIGKILL');
      return name;
    },
    waitForPrimary,
    waitForReplica,
    memberLog: (name) => readFileSync(join(layoutOf(name).dir, 'patroni.log'), 'utf8'),
    stop,
  };
}
