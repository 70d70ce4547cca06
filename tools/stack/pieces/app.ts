import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@tools/test-harness';
import { spawnDaemon, stopPiece, type RunningPiece } from '../processes';
import { StackError } from '../StackError';
import type { PostgresEndpoints } from './postgres';
import type { RedisEndpoints } from './redis';

/** The built bundle (`nx run auth-service:build`), relative to the repository root. */
export const APP_BUNDLE = 'dist/apps/auth-service/main.js';

export interface AppInstanceOptions {
  /** 1-based; the instance is `app-<index>` (its `INSTANCE_ID`). */
  index: number;
  port: number;
  repoRoot: string;
  stackDir: string;
  postgres: PostgresEndpoints;
  redis: RedisEndpoints;
  /** Shared by every instance: a session signed by one is accepted by the others. */
  secret: string;
  /** The public URL (HAProxy): `BETTER_AUTH_URL`. */
  publicUrl: string;
  /** Allowed origins besides the public URL (each instance's own, for direct calls). */
  trustedOrigins: string[];
  admin: { email: string; password: string };
  /** The stack's SMTP server (`SMTP_URL`: production sends password-reset and verification mail). */
  smtpUrl: string;
  /** Added last (e.g. `AUTH_RATE_LIMIT=off` for the scale benchmark). */
  extraEnv?: Record<string, string>;
  /** @default 60_000 */
  readyTimeoutMs?: number;
}

/**
 * The environment of one instance: only what the app reads (the shell's own DATABASE_URL and
 * friends never leak in). Replica URLs and Sentinels are passed when the pieces run them.
 */
export function appEnvironment(options: AppInstanceOptions): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(options.port),
    LOG_LEVEL: 'info',
    INSTANCE_ID: `app-${options.index}`,
    DATA_DIR: join(options.stackDir, `app-${options.index}`),
    DATABASE_URL: options.postgres.primaryUrl,
    BETTER_AUTH_SECRET: options.secret,
    BETTER_AUTH_URL: options.publicUrl,
    SMTP_URL: options.smtpUrl,
    TRUSTED_ORIGINS: [options.publicUrl, ...options.trustedOrigins].join(','),
    BOOTSTRAP_ADMIN_EMAIL: options.admin.email,
    BOOTSTRAP_ADMIN_PASSWORD: options.admin.password,
    // HAProxy reaches every instance from 127.0.0.1 and appends the client to X-Forwarded-For
    // (`option forwardfor`): the one peer trusted to name the client (docs/client-identity.md).
    TRUST_PROXY: '127.0.0.1',
  };
  if (options.postgres.replicaUrls.length) env.DATABASE_REPLICA_URLS = options.postgres.replicaUrls.join(',');
  // REDIS_SENTINELS replaces REDIS_URL (both set is a configuration error of the app).
  if (options.redis.sentinels.length) {
    env.REDIS_SENTINELS = options.redis.sentinels.join(',');
    if (options.redis.sentinelMaster) env.REDIS_SENTINEL_MASTER = options.redis.sentinelMaster;
  } else {
    env.REDIS_URL = options.redis.url;
  }
  return { ...env, ...options.extraEnv };
}

/** One auth-service instance running the built bundle; resolves once `/health/ready` answers 200. */
export async function startApp(options: AppInstanceOptions): Promise<RunningPiece> {
  const name = `app-${options.index}`;
  mkdirSync(join(options.stackDir, name), { recursive: true });
  const { pid, log } = spawnDaemon({
    name,
    command: process.execPath,
    args: ['--enable-source-maps', APP_BUNDLE],
    cwd: options.repoRoot,
    stackDir: options.stackDir,
    env: appEnvironment(options),
  });
  const url = `http://127.0.0.1:${options.port}`;
  // SIGINT, not SIGTERM: the whole stack stops at once, so there is no load balancer to drain
  // from and the production drain delay (SHUTDOWN_DRAIN_DELAY_MS) would only slow `stop` down.
  const piece: RunningPiece = { name, pid, url, log, stopSignal: 'SIGINT', commandMatch: APP_BUNDLE };
  try {
    await waitFor(async () => {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`/health/ready answered ${response.status}`);
    }, options.readyTimeoutMs ?? 60_000, `${name} on port ${options.port}`);
  } catch (error) {
    await stopPiece(options.stackDir, piece);
    throw new StackError('NOT_READY', `${name} did not become ready (see ${log}): ${(error as Error).message}`, { cause: error });
  }
  return piece;
}
