import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChildServer, REPO_ROOT } from './childServer';

export interface AppRevision {
  /** HEAD of the checkout the app ran from; null outside git. */
  commit: string | null;
  /** Files under the app's folder that differ from HEAD: a figure from a work in progress says so. */
  uncommittedFiles: number | null;
}

/** Which app was measured, for the result file. */
export function appRevision(entry: string): AppRevision {
  const folder = entry.split('/').slice(0, 2).join('/');
  const git = (args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const commit = git(['rev-parse', 'HEAD']).trim();
    const changed = git(['status', '--porcelain', '--', folder]).split('\n').filter(Boolean).length;
    return { commit, uncommittedFiles: changed };
  } catch {
    return { commit: null, uncommittedFiles: null };
  }
}

export type AppOutcome = { server: ChildServer } | { unavailable: string };

interface AppStartOptions {
  /** Entry file relative to the repository root. */
  entry: string;
  port: number;
  databaseUrl: string;
  secret: string;
  startTimeoutMs: number;
  /** Name of the child (several variants of the app side by side). @default 'ours' */
  name?: string;
  /** More variables (e.g. OTEL_TRACING=on). */
  env?: Record<string, string>;
}

/** Undefined when Better-Auth is mounted (get-session answers 200 `null` without credentials, or /ok answers 200); else why not. */
export async function exposesBetterAuth(baseUrl: string): Promise<string | undefined> {
  const session = await fetch(`${baseUrl}/api/auth/get-session`);
  const body = (await session.text()).trim();
  if (session.status === 200 && body === 'null') return undefined;
  const ok = await fetch(`${baseUrl}/api/auth/ok`);
  await ok.arrayBuffer();
  if (ok.status === 200) return undefined;
  return `GET /api/auth/get-session → ${session.status}, GET /api/auth/ok → ${ok.status}: Better-Auth is not mounted at /api/auth`;
}

/**
 * Starts the app the way it is deployed (its own main.ts, configured by environment) on the
 * benchmark's database and secret, so it can read the sessions the stock server created. Any
 * reason it cannot be measured is returned, not thrown: the baselines are still worth reporting.
 */
export async function startApp(options: AppStartOptions): Promise<AppOutcome> {
  if (!existsSync(join(REPO_ROOT, options.entry))) return { unavailable: `${options.entry} does not exist` };
  let server: ChildServer;
  try {
    server = await ChildServer.start({
      name: options.name ?? 'ours',
      script: options.entry,
      port: options.port,
      env: { DATABASE_URL: options.databaseUrl, BETTER_AUTH_SECRET: options.secret, LOG_LEVEL: 'warn', HOST: '127.0.0.1', AUTH_RATE_LIMIT: 'off', ...options.env },
      // The app does not print READY; any HTTP answer means it is listening.
      ready: { httpPath: '/health/live' },
      startTimeoutMs: options.startTimeoutMs,
    });
  } catch (error) {
    return { unavailable: `the app did not start: ${(error as Error).message.split('\n').slice(0, 3).join(' | ')}` };
  }
  try {
    const missing = await exposesBetterAuth(server.url);
    if (!missing) return { server };
    await server.stop();
    return { unavailable: missing };
  } catch (error) {
    await server.stop();
    return { unavailable: `probing the app failed: ${(error as Error).message}` };
  }
}
