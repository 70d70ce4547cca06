import { parseArgs } from 'node:util';

/** What `node dist/apps/auth-service/main.js [migrate] [--env-file <path>]` was asked to do. */
export interface MainArgs {
  /** `serve` (no command): the server. `migrate`: apply the committed migrations to DATABASE_URL once, then exit. */
  command: 'serve' | 'migrate';
  /** Read before the configuration; a variable already in the environment wins (as `node --env-file`). */
  envFile?: string;
}

export const MAIN_USAGE = 'usage: main.js [migrate] [--env-file <path>]';

/** Thrown for an argument the entry does not know; the message holds the usage line. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(`${message}\n${MAIN_USAGE}`);
    this.name = 'UsageError';
  }
}

export function parseMainArgs(argv: readonly string[]): MainArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: { 'env-file': { type: 'string' } }; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: { 'env-file': { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [command = 'serve', ...rest] = parsed.positionals;
  if (command !== 'serve' && command !== 'migrate') throw new UsageError(`unknown command "${command}"`);
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const envFile = parsed.values['env-file'];
  if (envFile === '') throw new UsageError('--env-file needs a path');
  return envFile === undefined ? { command } : { command, envFile };
}

/** `--env-file`: loads the file into `process.env` (variables already set win); a missing file is an error naming it. */
export function loadEnvFile(path: string): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new UsageError(`--env-file ${path}: ${reason}`);
  }
}
