import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../bench/auth/childServer';

/** What `nx run auth-service:build` writes and `nx run auth-service:start` runs (relative to the repository root). */
export const BUILT_APP = 'dist/apps/auth-service/main.js';

/**
 * Builds the app as it is deployed (`nx run auth-service:build`: esbuild bundle, dependencies
 * external) once per runner, so a memory figure is the built server's, not tsx compiling
 * TypeScript in the measured process. Nx's cache makes it a no-op when the sources did not
 * change. Returns the entry for `ChildServer`.
 */
export function buildApp(): string {
  const result = spawnSync('npx', ['nx', 'run', 'auth-service:build', '--output-style=static'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    timeout: 600_000,
  });
  if (result.status !== 0 || !existsSync(join(REPO_ROOT, BUILT_APP))) {
    throw new Error(`nx run auth-service:build failed (${result.status ?? result.signal ?? result.error?.message}):\n${(result.stdout ?? '').slice(-2_000)}${(result.stderr ?? '').slice(-2_000)}`);
  }
  return BUILT_APP;
}
