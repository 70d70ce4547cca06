import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuthBenchError } from './AuthBenchError';
import { CPU_REQUEST, isCpuReply, type CpuRequest } from './cpuProtocol';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface ChildServerOptions {
  /** Label in errors and logs. */
  name: string;
  /**
   * Entry, absolute or relative to the repository root: TypeScript (run through tsx, with the
   * CPU probe preloaded) or built JavaScript (`.js`, `.cjs`, `.mjs`: plain `node`, as deployed —
   * no compiler in the process, and no CPU probe: `cpuUsage()` rejects).
   */
  script: string;
  /** Port the server is told to listen on (it gets it as `PORT`). */
  port: number;
  /** Added to the parent's environment. @default {} */
  env?: Record<string, string>;
  /** `'stdout'`: the server prints a line `READY`; otherwise any HTTP answer on this path. @default 'stdout' */
  ready?: 'stdout' | { httpPath: string };
  /** @default 30_000 */
  startTimeoutMs?: number;
  /** SIGTERM, then SIGKILL after this long. @default 5_000 */
  stopTimeoutMs?: number;
  /** Every line the server prints (stdout and stderr) is also appended to this file. @default none */
  logFile?: string;
}

export const DEFAULT_CHILD_SERVER_OPTIONS = { env: {}, ready: 'stdout', startTimeoutMs: 30_000, stopTimeoutMs: 5_000 } as const;

/** CPU time a server process has used since it started, in microseconds. */
export interface CpuSample {
  userMicros: number;
  systemMicros: number;
}

const OUTPUT_TAIL_LINES = 15;

const isBuilt = (script: string) => /\.[cm]?js$/.test(script);

/**
 * A benchmarked server in its own process, so its CPU time is its own. Started as
 * `node --import tsx --import cpuAgent.ts <script>` rather than through the `tsx` CLI, which
 * would put a wrapper process between us and the server and hide the server's CPU time;
 * a built `.js` entry as `node <script>`.
 */
export class ChildServer {
  readonly name: string;
  readonly port: number;
  readonly #child: ChildProcess;
  readonly #tail: string[] = [];
  readonly #stopTimeoutMs: number;
  readonly #log: WriteStream | undefined;
  #exited: Promise<void>;
  #exitCode: number | null | undefined;
  readonly #probed: boolean;
  #nextId = 1;

  private constructor(options: ChildServerOptions) {
    const opts = { ...DEFAULT_CHILD_SERVER_OPTIONS, ...options };
    this.name = opts.name;
    this.port = opts.port;
    this.#stopTimeoutMs = opts.stopTimeoutMs;
    const script = isAbsolute(opts.script) ? opts.script : join(REPO_ROOT, opts.script);
    const agent = pathToFileURL(join(__dirname, 'cpuAgent.ts')).href;
    this.#probed = !isBuilt(script);
    this.#child = fork(script, [], {
      cwd: REPO_ROOT,
      execArgv: this.#probed ? ['--import', 'tsx', '--import', agent] : [],
      env: { ...process.env, ...opts.env, PORT: String(opts.port) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.#log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
    this.#exited = new Promise((resolve) => this.#child.once('exit', (code) => ((this.#exitCode = code), this.#log?.end(), resolve())));
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.#log?.write(chunk);
        this.#remember(chunk);
      });
    }
  }

  /** Starts the server and resolves once it is ready; kills it and rejects if it is not. */
  static async start(options: ChildServerOptions): Promise<ChildServer> {
    const server = new ChildServer(options);
    const opts = { ...DEFAULT_CHILD_SERVER_OPTIONS, ...options };
    try {
      await server.#waitReady(opts.ready, opts.startTimeoutMs);
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The last lines the server printed, for error messages. */
  get outputTail(): string {
    return this.#tail.join('\n');
  }

  /** Asks the server (over IPC, answered by cpuAgent) for its `process.cpuUsage()`. */
  cpuUsage(timeoutMs = 5_000): Promise<CpuSample> {
    if (!this.#probed) return Promise.reject(new AuthBenchError('CPU_PROBE_FAILED', `${this.name}: a built script runs without the CPU probe`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#child.off('message', onMessage);
        reject(new AuthBenchError('CPU_PROBE_FAILED', `${this.name}: no CPU reading within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message: unknown) => {
        if (!isCpuReply(message) || message.id !== id) return;
        clearTimeout(timer);
        this.#child.off('message', onMessage);
        resolve({ userMicros: message.userMicros, systemMicros: message.systemMicros });
      };
      this.#child.on('message', onMessage);
      const request: CpuRequest = { type: CPU_REQUEST, id };
      this.#child.send(request, (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.#child.off('message', onMessage);
        reject(new AuthBenchError('CPU_PROBE_FAILED', `${this.name}: IPC send failed`, { cause: error }));
      });
    });
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.#exitCode !== undefined) return;
    this.#child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.#stopTimeoutMs)));
    if (await Promise.race([this.#exited.then(() => false), timedOut])) this.#child.kill('SIGKILL');
    clearTimeout(timer);
    await this.#exited;
  }

  #remember(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (!line.trim()) continue;
      this.#tail.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
      if (this.#tail.length > OUTPUT_TAIL_LINES) this.#tail.shift();
    }
  }

  async #waitReady(ready: 'stdout' | { httpPath: string }, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AuthBenchError('SERVER_START_FAILED', `${this.name} (pid ${String(this.#child.pid)}) not ready within ${timeoutMs} ms:\n${this.outputTail}`)),
        timeoutMs,
      );
    });
    const exited = this.#exited.then(() => {
      throw new AuthBenchError('SERVER_EXITED', `${this.name} exited (code ${String(this.#exitCode)}) before it was ready:\n${this.outputTail}`);
    });
    // Once ready, a later exit (our own stop) must not surface as an unhandled rejection.
    exited.catch(() => undefined);
    const readyPromise =
      ready === 'stdout'
        ? new Promise<void>((resolve) => {
            const onData = (chunk: string) => {
              if (!/^READY\b/m.test(chunk)) return;
              this.#child.stdout?.off('data', onData);
              resolve();
            };
            this.#child.stdout?.on('data', onData);
          })
        : (async () => {
            while (!settled) {
              try {
                await fetch(`${this.url}${ready.httpPath}`, { signal: AbortSignal.timeout(1_000) });
                return;
              } catch {
                await new Promise((r) => setTimeout(r, 100));
              }
            }
          })();
    try {
      await Promise.race([readyPromise, exited, timeout]);
    } finally {
      settled = true;
      clearTimeout(timer);
    }
  }
}
