import { percentile, round } from '../auth/stats';
import type { KillUnderLoad } from './killUnderLoad';
import type { PropagationTrial, WriteKind } from './propagation';
import type { ReplicaLagRun } from './replicaLag';
import type { ThroughputRun } from './throughput';

/** Documented propagation delays of other systems (ms): Kong's DB-less/cache poll 5 s, Unkey's cache 60 s. */
export const PUBLISHED_PROPAGATION_MS = { kong: 5_000, unkey: 60_000 } as const;
export const PROPAGATION_TARGET_P99_MS = 100;
/** Core counts the CPU-per-request projection is computed for. */
export const PROJECTED_CORES = [2, 4, 8, 16] as const;
/** Said instead of figures when the stack ran without its replica (`replicas: 0`). */
export const REPLICA_LAG_UNAVAILABLE = 'n/a: the stack ran without a Postgres replica';

export interface ScaleInputs {
  trials: PropagationTrial[];
  throughput: ThroughputRun[];
  kill: KillUnderLoad | null;
  /** The SIGTERM (drained) stop of another instance, when there were instances left. */
  drain?: KillUnderLoad | null;
  replicaLag: ReplicaLagRun | null;
  config: Record<string, unknown>;
}

function propagation(trials: PropagationTrial[], kind: WriteKind) {
  const mine = trials.filter((t) => t.kind === kind);
  const samples = mine.flatMap((t) => Object.values(t.firstRefusalMs));
  const seen = samples.filter((ms): ms is number => ms !== null);
  const instances = [...new Set(mine.flatMap((t) => Object.keys(t.firstRefusalMs)))].sort();
  const p99 = percentile(seen, 99);
  // The same, counted from the write's answer on A: the part that is propagation, not the write (0 when the
  // other instance refused before A had even answered).
  const afterAck = mine.flatMap((t) => Object.values(t.firstRefusalMs).filter((ms): ms is number => ms !== null).map((ms) => Math.max(0, ms - t.writeMs)));
  return {
    trials: mine.length,
    samples: samples.length,
    /** Observations where the instance still accepted the session at the deadline. */
    misses: samples.length - seen.length,
    p50_ms: round(percentile(seen, 50)),
    p99_ms: round(p99),
    max_ms: round(seen.length ? Math.max(...seen) : null),
    write_p50_ms: round(percentile(mine.map((t) => t.writeMs), 50)),
    write_p99_ms: round(percentile(mine.map((t) => t.writeMs), 99)),
    after_write_answer_p50_ms: round(percentile(afterAck, 50)),
    after_write_answer_p99_ms: round(percentile(afterAck, 99)),
    errors: mine.reduce((n, t) => n + t.errors, 0),
    per_instance: Object.fromEntries(
      instances.map((name) => {
        const values = mine.map((t) => t.firstRefusalMs[name]).filter((ms): ms is number => typeof ms === 'number');
        return [name, { p50_ms: round(percentile(values, 50)), p99_ms: round(percentile(values, 99)) }];
      }),
    ),
    meets_target: p99 !== null && samples.length === seen.length && p99 < PROPAGATION_TARGET_P99_MS,
    [`p99_vs_kong_ratio`]: p99 === null ? null : round(p99 / PUBLISHED_PROPAGATION_MS.kong, 5),
    [`p99_vs_unkey_ratio`]: p99 === null ? null : round(p99 / PUBLISHED_PROPAGATION_MS.unkey, 6),
  };
}

function spread(values: number[], scale = 1, digits = 2) {
  const scaled = values.map((v) => v * scale);
  return { samples: values.length, p50: round(percentile(scaled, 50), digits), p99: round(percentile(scaled, 99), digits), max: round(scaled.length ? Math.max(...scaled) : null, digits) };
}

/** p50/p99/max of each replica-lag measure; the app's own gauge per instance, in ms like the marker. */
function replicaLagFigures(run: ReplicaLagRun) {
  const app = Object.values(run.appLagSeconds).flat();
  return {
    seconds: run.seconds,
    sign_ups_sent: run.signUpsSent,
    sign_ups_failed: run.signUpsFailed,
    marker_write_to_visible_ms: { ...spread(run.markerVisibleMs), misses: run.markerMisses },
    wal_replay_gap_bytes: spread(run.lsnLagBytes, 1, 0),
    pg_stat_replication_replay_lag_ms: spread(run.replayLagSeconds, 1000),
    app_database_replica_lag_ms: spread(app, 1000),
    app_database_replica_lag_ms_per_instance: Object.fromEntries(Object.entries(run.appLagSeconds).map(([name, values]) => [name, spread(values, 1000)])),
  };
}

const STACK_GROUPS = ['app', 'postgres', 'redis', 'haproxy'] as const;

function throughputFigures(run: ThroughputRun) {
  const perRequest = (ms: number) => (run.sent > 0 ? round(ms / run.sent, 3) : null);
  const stackMs = STACK_GROUPS.reduce((sum, g) => sum + (run.cpuMs[g] ?? 0), 0);
  return {
    instances: run.instances,
    rps: round(run.rps, 0),
    p50_ms: run.latencyP50Ms,
    p99_ms: run.latencyP99Ms,
    non2xx: run.non2xx,
    errors: run.errors,
    cpu_ms_per_request: Object.fromEntries([...Object.entries(run.cpuMs).map(([g, ms]) => [g, perRequest(ms)]), ['stack', perRequest(stackMs)], ['load_generator', perRequest(run.loadGeneratorCpuMs)]]),
    /** CPU cores the run kept busy (stack + load generator) ÷ wall time. */
    cores_busy: round((stackMs + run.loadGeneratorCpuMs + (run.cpuMs.prometheus ?? 0)) / 1000 / run.durationSeconds, 2),
  };
}

/**
 * Scaling computed from CPU per request rather than guessed: with `c` ms of stack CPU per request
 * (app + Postgres + Redis + HAProxy; the load generator excluded, it runs elsewhere in production),
 * N cores serve at most N × 1000 / c requests per second; the app tier alone, N × 1000 / c_app
 * (Postgres, Redis and HAProxy on their own machines).
 */
function projection(run: ThroughputRun | undefined) {
  if (!run || !(run.sent > 0)) return null;
  const stackMs = STACK_GROUPS.reduce((sum, g) => sum + (run.cpuMs[g] ?? 0), 0) / run.sent;
  const appMs = (run.cpuMs.app ?? 0) / run.sent;
  return {
    from_instances: run.instances,
    stack_cpu_ms_per_request: round(stackMs, 3),
    app_cpu_ms_per_request: round(appMs, 3),
    rps_per_core_whole_stack: round(1000 / stackMs, 0),
    rps_per_core_app_tier: round(1000 / appMs, 0),
    whole_stack_rps_at_cores: Object.fromEntries(PROJECTED_CORES.map((n) => [n, round((n * 1000) / stackMs, 0)])),
    app_tier_rps_at_cores: Object.fromEntries(PROJECTED_CORES.map((n) => [n, round((n * 1000) / appMs, 0)])),
  };
}

export function buildScaleReport(inputs: ScaleInputs): { metrics: Record<string, unknown>; rows: Record<string, unknown>[] } {
  const revocation = propagation(inputs.trials, 'revoke');
  const ban = propagation(inputs.trials, 'ban');
  const runs = inputs.throughput.map(throughputFigures);
  const rpsOf = (n: number) => inputs.throughput.find((r) => r.instances === n)?.rps;
  const scale = (n: number) => {
    const one = rpsOf(1);
    const many = rpsOf(n);
    return one && many ? round(many / one, 3) : null;
  };
  const largest = [...inputs.throughput].sort((a, b) => b.instances - a.instances)[0];
  const stopFigures = (k: KillUnderLoad | null | undefined) =>
    k ? { ...k, failed_requests: k.non2xx + k.errors, ms_until_down: round(k.msUntilDown, 1), ms_until_exit: round(k.msUntilExit, 1) } : null;
  const kill = stopFigures(inputs.kill);
  const drain = stopFigures(inputs.drain);
  const metrics = {
    config: inputs.config,
    revocation,
    ban,
    propagation_target_p99_ms: PROPAGATION_TARGET_P99_MS,
    published_propagation_ms: { ...PUBLISHED_PROPAGATION_MS, ory: 'minutes (session cache)' },
    throughput: runs,
    rps_2_vs_1_instances_ratio: scale(2),
    rps_3_vs_1_instances_ratio: scale(3),
    projection: projection(largest),
    kill_under_load: kill,
    drained_stop_under_load: drain,
    replica_lag: inputs.replicaLag ? replicaLagFigures(inputs.replicaLag) : REPLICA_LAG_UNAVAILABLE,
  };
  const lag = metrics.replica_lag;
  const rows: Record<string, unknown>[] = [
    ...(['revoke', 'ban'] as const).map((kind) => {
      const p = kind === 'revoke' ? revocation : ban;
      return {
        measure: `${kind} → first refusal on the others`,
        p50_ms: p.p50_ms,
        p99_ms: p.p99_ms,
        note: `${p.samples} samples, ${p.misses} misses; write itself p50 ${p.write_p50_ms} ms; after its answer p99 ${p.after_write_answer_p99_ms} ms; target p99 < ${PROPAGATION_TARGET_P99_MS} ms`,
      };
    }),
    ...runs.map((r) => ({ measure: `get-session via HAProxy, ${r.instances} instance(s)`, rps: r.rps, p99_ms: r.p99_ms, note: `stack ${r.cpu_ms_per_request.stack} ms CPU/req (app ${r.cpu_ms_per_request.app}); ${r.non2xx + r.errors} failed` })),
    ...[kill, drain].flatMap((k) =>
      k ? [{ measure: `${k.signal} ${k.killed} under load`, failed: k.failed_requests, ms_until_down: k.ms_until_down, ms_until_exit: k.ms_until_exit, note: `${k.retries} retries, ${k.redispatches} redispatches by HAProxy` }] : [],
    ),
    typeof lag === 'string'
      ? { measure: 'replica lag under write load', note: lag }
      : {
          measure: `replica lag, ${lag.sign_ups_sent} sign-ups in ${lag.seconds} s: marker write → visible on the replica`,
          p50_ms: lag.marker_write_to_visible_ms.p50,
          p99_ms: lag.marker_write_to_visible_ms.p99,
          max_ms: lag.marker_write_to_visible_ms.max,
          note: `${lag.marker_write_to_visible_ms.samples} markers, ${lag.marker_write_to_visible_ms.misses} misses; WAL gap p99 ${lag.wal_replay_gap_bytes.p99} B; replay_lag p99 ${lag.pg_stat_replication_replay_lag_ms.p99} ms; app gauge p99 ${lag.app_database_replica_lag_ms.p99} ms (max ${lag.app_database_replica_lag_ms.max})`,
        },
  ];
  return { metrics, rows };
}
