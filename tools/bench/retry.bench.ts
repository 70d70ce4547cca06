/**
 * `npm run bench -- retry`, side by side in one process:
 *  1. Happy-path cost per call of `executeWithRetry` (breaker on, metrics on) against a plain
 *     cockatiel `wrap(retry, breaker)` policy on the same no-op async function.
 *     Target: ≤ 1.2× cockatiel and < 2 µs per call.
 *  2. The same happy path with a per-attempt timeout (`attemptTimeoutMs`) against cockatiel
 *     `wrap(retry, breaker, timeout)` (cooperative: it also hands out an AbortSignal), and
 *     against our own call without a timeout (what the timeout itself costs).
 *  3. A simulation: N concurrent callers against an always-failing dependency; attempts per
 *     call (= load multiplier on the dependency) without a budget, with the default budget,
 *     and with budget + breaker.
 *  4. A Redis GET on loopback, raw vs inside `executeRedisWithRetry` with the cache's L2 settings
 *     (breaker, budget, 250 ms attempt timeout): wall time and process CPU time per call.
 *     Redis: REDIS_URL, else a throwaway redis-server; skipped (null) when neither is available.
 */
import { ConsecutiveBreaker, ExponentialBackoff, TimeoutStrategy, circuitBreaker, handleAll, retry, timeout, wrap } from 'cockatiel';
import { Redis } from 'ioredis';
import { MetricsCollector, NoopMetricsCollector } from '@libs/monitoring';
import { startDedicatedRedis } from '@tools/test-harness';
import {
  executeRedisWithRetry,
  executeWithRetry,
  resetCircuitBreakers,
  resetRetryBudgets,
  type RedisRetryOptions,
  type RetryOptions,
} from '@libs/utils';
import { compare, median, writeReport } from './report';

const noop = async (): Promise<number> => 1;

async function happyPath(): Promise<Record<string, number>> {
  const cockatiel = wrap(
    retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 5_000 }) }),
    circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
  );
  const collector = new MetricsCollector();
  const silent = new NoopMetricsCollector();
  const options: RetryOptions = { operationName: 'bench.noop', maxRetries: 3 };
  const noMetricsOptions: RetryOptions = { operationName: 'bench.noop2', maxRetries: 3 };
  const noBreaker: RetryOptions = { operationName: 'bench.noop3', maxRetries: 3, enableCircuitBreaker: false, retryBudget: false };
  const cockatielTimeout = wrap(
    retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 5_000 }) }),
    circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
    timeout(1_000, TimeoutStrategy.Cooperative),
  );
  const withTimeout: RetryOptions = { operationName: 'bench.timeout', maxRetries: 3, attemptTimeoutMs: 1_000 };
  const withTimeoutNoMetrics: RetryOptions = { operationName: 'bench.timeout2', maxRetries: 3, attemptTimeoutMs: 1_000 };
  // An operation that does read its signal (e.g. passes it to fetch): pays for the AbortController.
  const readsSignal = async ({ signal }: { signal: AbortSignal }): Promise<number> => (signal.aborted ? 0 : 1);
  return compare(
    {
      cockatiel_wrap: () => cockatiel.execute(noop),
      ours_breaker_metrics: () => executeWithRetry(noop, undefined, options, collector),
      ours_breaker_noop_metrics: () => executeWithRetry(noop, undefined, options, silent),
      ours_breaker_no_metrics: () => executeWithRetry(noop, undefined, noMetricsOptions),
      ours_no_breaker_no_budget: () => executeWithRetry(noop, undefined, noBreaker),
      // A fresh options literal per call, as in the seed's Example 3.
      ours_inline_options: () => executeWithRetry(noop, undefined, { operationName: 'bench.noop', maxRetries: 3 }, collector),
      cockatiel_wrap_timeout: () => cockatielTimeout.execute(noop),
      ours_timeout_metrics: () => executeWithRetry(noop, undefined, withTimeout, collector),
      ours_timeout_no_metrics: () => executeWithRetry(noop, undefined, withTimeoutNoMetrics),
      ours_timeout_reads_signal: () => executeWithRetry(readsSignal, undefined, withTimeout, collector),
    },
    { iterations: 100_000, rounds: 7, warmup: 50_000 },
  );
}

interface SimulationResult {
  attempts_per_call: number;
  dependency_load_multiplier: number;
  outcomes: Record<string, number>;
}

/**
 * `callers` concurrent loops of `callsEach` sequential calls against a dependency that always
 * fails with ECONNREFUSED. Real timers, short delays (1–8 ms) so the run takes about a second.
 */
async function simulate(label: string, callers: number, callsEach: number, extra: RetryOptions): Promise<SimulationResult> {
  resetCircuitBreakers();
  resetRetryBudgets();
  let attempts = 0;
  let calls = 0;
  const outcomes: Record<string, number> = {};
  const dependency = async (): Promise<never> => {
    attempts++;
    throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  };
  const options: RetryOptions = { operationName: `sim.${label}`, maxRetries: 3, baseDelayMs: 1, maxDelayMs: 8, ...extra };
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = 0; i < callsEach; i++) {
        calls++;
        try {
          await executeWithRetry(dependency, undefined, options);
        } catch (error) {
          const e = error as { code?: string; reason?: string };
          const key = e.code === 'RETRY_EXHAUSTED' ? `RETRY_EXHAUSTED(${e.reason})` : String(e.code);
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }
      }
    }),
  );
  return { attempts_per_call: attempts / calls, dependency_load_multiplier: attempts / calls, outcomes };
}

interface RedisGetResult {
  raw_get_us: number;
  wrapped_get_us: number;
  raw_get_cpu_us: number;
  wrapped_get_cpu_us: number;
}

/**
 * Wall time of a loopback round trip swings with the load of a shared machine; the process's
 * CPU time per call (user + system) is what the wrapper itself adds, so both are reported.
 * Interleaved rounds of 2,000 sequential calls each; the first two rounds are warm-up.
 */
async function redisGet(): Promise<RedisGetResult | null> {
  let server: Awaited<ReturnType<typeof startDedicatedRedis>> | undefined;
  let url = process.env.REDIS_URL;
  if (!url) {
    try {
      server = await startDedicatedRedis();
      url = server.url;
    } catch (error) {
      console.warn(`redis GET section skipped: ${(error as Error).message}`);
      return null;
    }
  }
  const client = new Redis(url);
  const key = `bench-retry-${process.pid}`;
  try {
    await client.set(key, 'x'.repeat(300));
    const options: RedisRetryOptions = {
      operationName: 'bench.redis_get',
      maxRetries: 1,
      attemptTimeoutMs: 250,
      circuitBreakerThreshold: 5,
      circuitBreakerResetMs: 5_000,
    };
    const candidates: Record<'raw' | 'wrapped', () => Promise<unknown>> = {
      raw: () => client.get(key),
      wrapped: () => executeRedisWithRetry(client, (r) => r.get(key), undefined, options),
    };
    const wall: Record<string, number[]> = { raw: [], wrapped: [] };
    const cpu: Record<string, number[]> = { raw: [], wrapped: [] };
    const calls = 2_000;
    for (let round = 0; round < 12; round++) {
      for (const [name, fn] of Object.entries(candidates)) {
        const cpu0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < calls; i++) await fn();
        const elapsedNs = Number(process.hrtime.bigint() - t0);
        const used = process.cpuUsage(cpu0);
        if (round < 2) continue;
        wall[name].push(elapsedNs / 1_000 / calls);
        cpu[name].push((used.user + used.system) / calls);
      }
    }
    await client.del(key);
    return { raw_get_us: median(wall.raw), wrapped_get_us: median(wall.wrapped), raw_get_cpu_us: median(cpu.raw), wrapped_get_cpu_us: median(cpu.wrapped) };
  } finally {
    client.disconnect();
    await server?.stop();
  }
}

export async function run(): Promise<void> {
  const ns = await happyPath();
  const redis = await redisGet();
  const callers = 200;
  const callsEach = 25;
  const noBudget = await simulate('no_budget', callers, callsEach, { enableCircuitBreaker: false, retryBudget: false });
  const budget = await simulate('budget', callers, callsEach, { enableCircuitBreaker: false });
  const budgetBreaker = await simulate('budget_breaker', callers, callsEach, {});

  const metrics = {
    ns_per_call: ns,
    happy_path_us_per_call: ns.ours_breaker_metrics / 1_000,
    cockatiel_us_per_call: ns.cockatiel_wrap / 1_000,
    happy_path_vs_cockatiel_ratio: ns.ours_breaker_metrics / ns.cockatiel_wrap,
    happy_path_noop_metrics_vs_cockatiel_ratio: ns.ours_breaker_noop_metrics / ns.cockatiel_wrap,
    happy_path_no_metrics_vs_cockatiel_ratio: ns.ours_breaker_no_metrics / ns.cockatiel_wrap,
    inline_options_vs_cockatiel_ratio: ns.ours_inline_options / ns.cockatiel_wrap,
    timeout_happy_path_us_per_call: ns.ours_timeout_metrics / 1_000,
    timeout_happy_path_vs_cockatiel_timeout_ratio: ns.ours_timeout_metrics / ns.cockatiel_wrap_timeout,
    timeout_happy_path_vs_cockatiel_ratio: ns.ours_timeout_metrics / ns.cockatiel_wrap,
    timeout_happy_path_vs_happy_path_ratio: ns.ours_timeout_metrics / ns.ours_breaker_metrics,
    timeout_no_metrics_vs_no_metrics_ratio: ns.ours_timeout_no_metrics / ns.ours_breaker_no_metrics,
    timeout_reads_signal_vs_cockatiel_timeout_ratio: ns.ours_timeout_reads_signal / ns.cockatiel_wrap_timeout,
    simulation: { callers, calls_each: callsEach, max_retries: 3, no_budget: noBudget, budget, budget_breaker: budgetBreaker },
    attempts_per_call_budget_vs_no_budget_ratio: budget.attempts_per_call / noBudget.attempts_per_call,
    redis_get: redis,
    redis_wrapped_get_vs_raw_get_ratio: redis === null ? null : redis.wrapped_get_us / redis.raw_get_us,
    redis_wrapped_get_cpu_vs_raw_get_cpu_ratio: redis === null ? null : redis.wrapped_get_cpu_us / redis.raw_get_cpu_us,
    redis_wrapper_cpu_us_per_call: redis === null ? null : redis.wrapped_get_cpu_us - redis.raw_get_cpu_us,
  };
  const table = [
    ...Object.entries(ns).map(([candidate, v]) => {
      // Timeout candidates are compared with cockatiel's policy that also has a timeout.
      const timed = candidate.includes('timeout');
      const base = timed ? ns.cockatiel_wrap_timeout : ns.cockatiel_wrap;
      return { measure: timed ? 'happy path, attemptTimeoutMs' : 'happy path', candidate, 'ns/call': Math.round(v), 'vs cockatiel': (v / base).toFixed(2) };
    }),
    ...(
      [
        ['no budget, no breaker', noBudget],
        ['default budget, no breaker', budget],
        ['default budget + breaker', budgetBreaker],
      ] as const
    ).map(([candidate, r]) => ({
      measure: `${callers}×${callsEach} calls, dependency down`,
      candidate,
      'ns/call': '',
      'vs cockatiel': '',
      'attempts/call': r.attempts_per_call.toFixed(3),
    })),
    ...(redis === null
      ? []
      : [
          { measure: 'Redis GET, loopback', candidate: 'raw ioredis GET', 'µs/call (wall)': redis.raw_get_us.toFixed(1), 'µs CPU/call': redis.raw_get_cpu_us.toFixed(1) },
          {
            measure: 'Redis GET, loopback',
            candidate: 'GET in executeRedisWithRetry (250 ms timeout)',
            'µs/call (wall)': redis.wrapped_get_us.toFixed(1),
            'µs CPU/call': redis.wrapped_get_cpu_us.toFixed(1),
          },
        ]),
  ];
  writeReport('retry', metrics, table);
}
