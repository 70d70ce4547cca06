export interface AuthBenchOptions {
  /** Users signed up (each gives one bearer token to rotate over). @default 200 */
  users: number;
  /** autocannon connections for getSession. @default 32 */
  connections: number;
  /** Unmeasured load before each measured getSession run, in seconds. @default 2 */
  warmupSeconds: number;
  /** Measured getSession time per server, in seconds (capped at 10), split into `rounds`. @default 8 */
  durationSeconds: number;
  /** Measured getSession runs and sign-in batches alternate between servers in this many rounds. @default 4 */
  rounds: number;
  /** Sequential sign-ins measured per server. @default 30 */
  signins: number;
  /** Sign-ins sent first and not measured (JIT, pool). @default 3 */
  signinWarmup: number;
  /** Parallel sign-ups while seeding (scrypt runs on libuv's 4 threads). @default 4 */
  seedConcurrency: number;
  /** How long the app may take to start before it counts as not available. @default 60_000 */
  appStartTimeoutMs: number;
  /**
   * Entry of "ours", relative to the repository root. Overridable (AUTH_BENCH_APP_ENTRY) so the
   * harness can be checked A/A by pointing it at the stock server. @default 'apps/auth-service/src/main.ts'
   */
  appEntry: string;
}

export const DEFAULT_AUTH_BENCH_OPTIONS: AuthBenchOptions = {
  users: 200,
  connections: 32,
  warmupSeconds: 2,
  durationSeconds: 8,
  rounds: 4,
  signins: 30,
  signinWarmup: 3,
  seedConcurrency: 4,
  appStartTimeoutMs: 60_000,
  appEntry: 'apps/auth-service/src/main.ts',
};

// The brief bounds each autocannon run at 10 s so the whole benchmark stays near 3 minutes.
const MAX_RUN_SECONDS = 10;

const ENV: Record<string, Exclude<keyof AuthBenchOptions, 'appEntry'>> = {
  AUTH_BENCH_USERS: 'users',
  AUTH_BENCH_CONNECTIONS: 'connections',
  AUTH_BENCH_WARMUP_S: 'warmupSeconds',
  AUTH_BENCH_DURATION_S: 'durationSeconds',
  AUTH_BENCH_SIGNINS: 'signins',
  AUTH_BENCH_ROUNDS: 'rounds',
};

/**
 * Defaults, overridden by `AUTH_BENCH_*` variables for quick runs. A value that is not a
 * positive integer is an error rather than a silent default: a typo should not change a result.
 */
export function authBenchOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthBenchOptions {
  const options = { ...DEFAULT_AUTH_BENCH_OPTIONS };
  for (const [variable, key] of Object.entries(ENV)) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${variable} must be a positive integer, got "${raw}"`);
    options[key] = value;
  }
  if (env['AUTH_BENCH_APP_ENTRY']) options.appEntry = env['AUTH_BENCH_APP_ENTRY'];
  options.warmupSeconds = Math.min(options.warmupSeconds, MAX_RUN_SECONDS);
  options.durationSeconds = Math.min(options.durationSeconds, MAX_RUN_SECONDS);
  return options;
}
