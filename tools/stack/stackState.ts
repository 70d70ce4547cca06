import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackPorts } from './ports';
import { pidFile, type RunningPiece } from './processes';

/** What `stack.json` in the stack directory records: enough for `stop` and `status` from another shell. */
export interface StackState {
  /** The process that started the stack and stops it on Ctrl-C (`npm run stack`, a test, the benchmark). */
  ownerPid: number;
  startedAt: string;
  ports: StackPorts;
  /** In start order; `stop` goes in reverse. */
  pieces: RunningPiece[];
  adminEmail: string;
  /** Prometheus jobs of the template the stack has nothing for. */
  droppedJobs: string[];
}

export const REPO_ROOT = join(__dirname, '..', '..');

/** `STACK_DIR`, else `.data/stack` in the checkout (Postgres' own data lives in os.tmpdir(), see the README). */
export function defaultStackDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STACK_DIR || join(REPO_ROOT, '.data', 'stack');
}

const stateFile = (stackDir: string) => join(stackDir, 'stack.json');

export function prepareStackDir(stackDir: string): void {
  for (const dir of ['run', 'logs']) mkdirSync(join(stackDir, dir), { recursive: true });
}

export function readState(stackDir: string): StackState | undefined {
  const file = stateFile(stackDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StackState;
}

/** Rewritten after every piece that starts, so a stack that failed half-way can still be stopped. */
export function writeState(stackDir: string, state: StackState): void {
  for (const piece of state.pieces) writeFileSync(pidFile(stackDir, piece.name), `${piece.pid}\n`);
  writeFileSync(stateFile(stackDir), `${JSON.stringify(state, null, 2)}\n`);
}

export function clearState(stackDir: string): void {
  rmSync(stateFile(stackDir), { force: true });
  rmSync(join(stackDir, 'run'), { recursive: true, force: true });
}

/** Secrets of one stack run, in a file only its owner can read (never printed). */
export function writeSecrets(stackDir: string, values: Record<string, string>): string {
  const file = join(stackDir, 'secrets.env');
  // `mode` applies only to a new file.
  rmSync(file, { force: true });
  writeFileSync(file, `${Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
  return file;
}
