import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { userInfo } from 'node:os';
import { freePort, waitFor } from './ports';
import { createConnection } from 'node:net';

/** Finds redis-server on PATH; as root on Debian, installs it when missing. */
export function redisServerBinary(): string | undefined {
  const which = () => spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  let found = which();
  if (!found && userInfo().uid === 0 && process.env.TEST_HARNESS_NO_APT !== '1') {
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], {
      stdio: 'ignore',
    });
    found = which();
  }
  return found || undefined;
}

/** Sends one inline command and resolves with the first reply line. */
export function redisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(`${command}\r\n`));
    socket.setTimeout(2_000, () => socket.destroy(new Error('redis command timed out')));
    socket.once('data', (data) => {
      socket.end();
      resolve(data.toString().split('\r\n')[0]);
    });
    socket.once('error', reject);
  });
}

/** Servers still running when the process exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A throwaway redis-server on loopback (no persistence) that a test can stop and restart. */
export class LocalRedis {
  readonly port: number;
  readonly #binary: string;
  #child: ChildProcess | undefined;

  private constructor(binary: string, port: number) {
    this.#binary = binary;
    this.port = port;
  }

  static async create(binary: string, port?: number): Promise<LocalRedis> {
    const redis = new LocalRedis(binary, port ?? (await freePort()));
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async start(): Promise<void> {
    if (this.#child) return;
    const child = spawn(
      this.#binary,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      { stdio: 'ignore' },
    );
    this.#child = child;
    live.add(child);
    child.once('exit', () => {
      live.delete(child);
      if (this.#child === child) this.#child = undefined;
    });
    await waitFor(async () => {
      if ((await redisCommand(this.port, 'PING')) !== '+PONG') throw new Error('no PONG');
    }, 10_000, `redis-server on port ${this.port}`);
  }

  /** Kills the server (SIGKILL: clients see the connection drop, as in a crash). */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.#child = undefined;
  }
}
