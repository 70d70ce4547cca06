import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort, waitFor } from './ports';

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
  for (const child of live) {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
});

export interface LocalRedisOptions {
  /** @default a free loopback port */
  port?: number;
  /** A config file given before the flags (Sentinel needs one it can rewrite). @default none */
  configFile?: string;
  /** Flags after the defaults (`--replicaof 127.0.0.1 6379`, `--requirepass …`, `--sentinel`). @default [] */
  args?: string[];
  /**
   * Runs the server in its own process group (a terminal's Ctrl-C reaches only its parent, which
   * stops it in order: the local stack). @default false
   */
  detached?: boolean;
}

/**
 * A throwaway redis-server on loopback (no persistence) that a test can stop, restart, freeze
 * and thaw. The process shows as `redis-server 127.0.0.1:<port>` (`redis-sentinel 127.0.0.1:<port>
 * [sentinel]` for a Sentinel); it is killed by PID, and on the test process's exit.
 */
export class LocalRedis {
  readonly port: number;
  readonly #binary: string;
  readonly #leading: string[];
  readonly #args: string[];
  readonly #detached: boolean;
  #child: ChildProcess | undefined;

  private constructor(binary: string, port: number, options: LocalRedisOptions) {
    this.#binary = binary;
    this.port = port;
    this.#leading = options.configFile ? [options.configFile] : [];
    this.#args = options.args ?? [];
    this.#detached = options.detached ?? false;
  }

  /** Starts a server; `options` may be a port number (the original signature). */
  static async create(binary: string, options: number | LocalRedisOptions = {}): Promise<LocalRedis> {
    const opts = typeof options === 'number' ? { port: options } : options;
    const redis = new LocalRedis(binary, opts.port ?? (await freePort()), opts);
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
      [...this.#leading, '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...this.#args],
      { stdio: 'ignore', detached: this.#detached },
    );
    this.#child = child;
    live.add(child);
    child.once('exit', () => {
      live.delete(child);
      if (this.#child === child) this.#child = undefined;
    });
    await waitFor(async () => {
      // A server with requirepass answers NOAUTH: it is up all the same.
      if (!/^(\+PONG|-NOAUTH)/.test(await redisCommand(this.port, 'PING'))) throw new Error('no PONG');
    }, 10_000, `redis-server on port ${this.port}`);
  }

  /** Kills the server (SIGKILL: clients see the connection drop, as in a crash). */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
    this.#child = undefined;
  }

  /** SIGSTOP: the server keeps its connections open and answers nothing (a hung host). */
  freeze(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** SIGCONT: a frozen server carries on. */
  thaw(): void {
    this.#child?.kill('SIGCONT');
  }
}
