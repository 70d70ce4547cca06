import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './StackError';

/** One running piece of the stack, as `stack.json` records it and `stop` finds it again. */
export interface RunningPiece {
  /** `postgres`, `redis`, `app-1` …, `haproxy`, `prometheus`. */
  name: string;
  pid: number;
  /** Where it serves (printed in the table). */
  url: string;
  /** Its log file. */
  log: string;
  /** What `stop` sends first (Postgres: SIGINT, its fast shutdown); SIGKILL follows after a grace period. */
  stopSignal: NodeJS.Signals;
  /** A word of the process's command line: `stop` never signals a reused pid that is someone else's. */
  commandMatch: string;
  /** Removed once the process is gone (Postgres' data directory). */
  cleanup?: string[];
}

export function pidFile(stackDir: string, name: string): string {
  return join(stackDir, 'run', `${name}.pid`);
}

export function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether `pid` runs (a zombie does not count) and, when given, its command line holds `match`. */
export function isRunning(pid: number, match?: string): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // The state follows the parenthesised command name, which may itself hold spaces or parentheses.
  if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return false;
  if (match === undefined) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(match);
  } catch {
    return false;
  }
}

/** Direct children of `pid` (Postgres backends of the postmaster), from /proc. */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export async function waitUntilGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some((pid) => isRunning(pid))) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

export interface DaemonOptions {
  name: string;
  command: string;
  args: string[];
  stackDir: string;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Starts a server in its own process group (Ctrl-C in the terminal reaches only the CLI, which
 * stops the pieces in order), output appended to `<stackDir>/logs/<name>.log`, pid in
 * `<stackDir>/run/<name>.pid`.
 */
export function spawnDaemon(options: DaemonOptions): { pid: number; log: string } {
  const log = join(options.stackDir, 'logs', `${options.name}.log`);
  const fd = openSync(log, 'a');
  try {
    const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new StackError('SPAWN_FAILED', `${options.name}: could not start ${options.command}`);
    child.unref();
    writeFileSync(pidFile(options.stackDir, options.name), `${child.pid}\n`);
    return { pid: child.pid, log };
  } finally {
    closeSync(fd);
  }
}

/**
 * Stops one piece: its stop signal, SIGKILL (with its children) after `graceMs`, then removes its
 * pid file and cleanup paths. Nothing happens to a pid whose command line is not the piece's.
 */
export async function stopPiece(stackDir: string, piece: RunningPiece, graceMs = 10_000): Promise<void> {
  const file = pidFile(stackDir, piece.name);
  const pid = readPid(file) ?? piece.pid;
  if (isRunning(pid, piece.commandMatch)) {
    const children = childrenOf(pid);
    process.kill(pid, piece.stopSignal);
    if (!(await waitUntilGone([pid], graceMs))) {
      for (const p of [pid, ...children]) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    if (!(await waitUntilGone([pid, ...children], graceMs))) {
      throw new StackError('STOP_FAILED', `${piece.name} (pid ${pid}) is still running after SIGKILL`);
    }
  }
  rmSync(file, { force: true });
  for (const path of piece.cleanup ?? []) rmSync(path, { recursive: true, force: true });
}
