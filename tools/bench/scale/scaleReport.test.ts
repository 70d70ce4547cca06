import { cpuDelta, processCpuMs } from './procCpu';
import { replicaLagFromMetrics } from './replicaLag';
import { buildScaleReport, REPLICA_LAG_UNAVAILABLE } from './scaleReport';
import type { ThroughputRun } from './throughput';

const run = (instances: number, rps: number, appMs: number): ThroughputRun => ({
  instances,
  requests: rps * 10,
  sent: rps * 10,
  rps,
  latencyP50Ms: 5,
  latencyP99Ms: 20,
  non2xx: 0,
  errors: 0,
  durationSeconds: 10,
  bytesPerResponse: 500,
  cpuMs: { app: appMs * rps * 10, postgres: 0, redis: 0, haproxy: 0.25 * rps * 10, prometheus: 5 },
  loadGeneratorCpuMs: 0.5 * rps * 10,
});

type Propagation = Record<string, unknown> & { per_instance: Record<string, unknown> };
interface Report {
  revocation: Propagation;
  ban: Propagation;
  rps_2_vs_1_instances_ratio: number | null;
  rps_3_vs_1_instances_ratio: number | null;
  projection: Record<string, unknown>;
  throughput: Array<{ cpu_ms_per_request: Record<string, number | null> }>;
  replica_lag: string | Record<string, unknown>;
}

describe('buildScaleReport', () => {
  const { metrics, rows } = buildScaleReport({
    trials: [
      { kind: 'revoke', writeMs: 10, firstRefusalMs: { 'app-2': 12, 'app-3': 8 }, errors: 0 },
      { kind: 'revoke', writeMs: 10, firstRefusalMs: { 'app-2': 30, 'app-3': null }, errors: 1 },
      { kind: 'ban', writeMs: 20, firstRefusalMs: { 'app-2': 25, 'app-3': 40 }, errors: 0 },
    ],
    throughput: [run(1, 1_000, 1), run(3, 1_500, 0.75)],
    kill: null,
    replicaLag: null,
    config: {},
  }) as unknown as { metrics: Report; rows: unknown[] };

  it('counts a refusal that never came as a miss, and never as a fast sample', () => {
    expect(metrics.revocation).toMatchObject({ trials: 2, samples: 4, misses: 1, p50_ms: 12, p99_ms: 30, max_ms: 30, errors: 1, meets_target: false });
    expect(metrics.revocation.per_instance['app-3']).toEqual({ p50_ms: 8, p99_ms: 8 });
    // Counted from the write's answer: 12 − 10 = 2, 30 − 10 = 20, and 8 (before the answer) is 0.
    expect(metrics.revocation.after_write_answer_p99_ms).toBe(20);
    expect(metrics.revocation.after_write_answer_p50_ms).toBe(2);
    expect(metrics.ban).toMatchObject({ samples: 2, misses: 0, p99_ms: 40, meets_target: true, p99_vs_kong_ratio: 0.008 });
  });

  it('computes scaling and the per-core projection from CPU per request', () => {
    expect(metrics.rps_3_vs_1_instances_ratio).toBe(1.5);
    expect(metrics.rps_2_vs_1_instances_ratio).toBeNull();
    // From the 3-instance run: 0.75 ms app + 0.25 ms HAProxy per request.
    expect(metrics.projection).toMatchObject({ from_instances: 3, stack_cpu_ms_per_request: 1, app_cpu_ms_per_request: 0.75, rps_per_core_whole_stack: 1_000 });
    expect(metrics.projection.whole_stack_rps_at_cores).toEqual({ 2: 2_000, 4: 4_000, 8: 8_000, 16: 16_000 });
    expect(metrics.throughput[0].cpu_ms_per_request).toMatchObject({ app: 1, haproxy: 0.25, stack: 1.25, load_generator: 0.5 });
  });

  it('reports a crash and a drained stop side by side: failures, time until HAProxy has it down, until the process is gone', () => {
    const stop = (signal: 'SIGKILL' | 'SIGTERM', non2xx: number, msUntilExit: number) => ({
      killed: signal === 'SIGKILL' ? 'app-3' : 'app-2',
      signal,
      requests: 1_000,
      sent: 1_000,
      non2xx,
      statusCodes: (non2xx ? { 502: non2xx } : {}) as Record<string, number>,
      errors: 1,
      msUntilDown: 80.04,
      msUntilExit,
      retries: 2,
      redispatches: 1,
      killedConnectionErrors: 0,
      killedResponseErrors: 0,
    });
    const report = buildScaleReport({ trials: [], throughput: [], kill: stop('SIGKILL', 3, 5), drain: stop('SIGTERM', 0, 5_123.45), replicaLag: null, config: {} }) as unknown as { metrics: Record<string, Record<string, unknown>>; rows: Array<Record<string, unknown>> };
    expect(report.metrics['kill_under_load']).toMatchObject({ failed_requests: 4, ms_until_down: 80, ms_until_exit: 5 });
    expect(report.metrics['drained_stop_under_load']).toMatchObject({ signal: 'SIGTERM', failed_requests: 1, ms_until_exit: 5_123.5 });
    expect(report.rows.filter((r) => /under load$/.test(String(r['measure']))).map((r) => r['measure'])).toEqual(['SIGKILL app-3 under load', 'SIGTERM app-2 under load']);
  });

  it('reports replica lag as not available, instead of a number, without a replica', () => {
    expect(metrics.replica_lag).toBe(REPLICA_LAG_UNAVAILABLE);
    expect(rows).toContainEqual({ measure: 'replica lag under write load', note: REPLICA_LAG_UNAVAILABLE });
  });

  it('reports replica lag percentiles in ms, the app gauge converted from seconds, and marker misses', () => {
    const report = buildScaleReport({
      trials: [],
      throughput: [],
      kill: null,
      config: {},
      replicaLag: {
        seconds: 10,
        signUpsSent: 100,
        signUpsFailed: 1,
        markerVisibleMs: [1, 2, 3, 4, 40],
        markerMisses: 1,
        lsnLagBytes: [0, 0, 512],
        replayLagSeconds: [0.001, 0.002],
        appLagSeconds: { 'app-1': [0, 0.004], 'app-2': [0.002] },
      },
    }).metrics as unknown as { replica_lag: Record<string, Record<string, unknown>> };
    expect(report.replica_lag.marker_write_to_visible_ms).toEqual({ samples: 5, p50: 3, p99: 40, max: 40, misses: 1 });
    expect(report.replica_lag.wal_replay_gap_bytes).toMatchObject({ samples: 3, max: 512 });
    expect(report.replica_lag.app_database_replica_lag_ms).toEqual({ samples: 3, p50: 2, p99: 4, max: 4 });
    expect(report.replica_lag.app_database_replica_lag_ms_per_instance).toEqual({ 'app-1': { samples: 2, p50: 0, p99: 4, max: 4 }, 'app-2': { samples: 1, p50: 2, p99: 2, max: 2 } });
    expect(report.replica_lag.pg_stat_replication_replay_lag_ms).toMatchObject({ max: 2 });
  });
});

describe('procCpu', () => {
  it('reads this process from /proc and sums a group, new processes counted from zero', () => {
    expect(processCpuMs(process.pid)).toBeGreaterThan(0);
    expect(processCpuMs(2 ** 30)).toBe(0);
    const before = new Map([['pg', new Map([[1, 100]])]]);
    const after = new Map([['pg', new Map([[1, 150], [2, 30]])]]);
    expect(cpuDelta(before, after)).toEqual({ pg: 80 });
  });
});

describe('replicaLagFromMetrics', () => {
  it('reads every database_replica_lag_seconds sample of a scrape, and nothing else', () => {
    const scrape = [
      '# HELP database_replica_lag_seconds How far the replica is behind',
      '# TYPE database_replica_lag_seconds gauge',
      'database_replica_lag_seconds{replica="replica-1"} 0.004',
      'database_replica_up{replica="replica-1"} 1',
      'database_replica_lag_seconds{replica="replica-2"} NaN',
    ].join('\n');
    expect(replicaLagFromMetrics(scrape)).toEqual([0.004]);
  });
});
