import { authBenchOptionsFromEnv, DEFAULT_AUTH_BENCH_OPTIONS } from './options';

describe('authBenchOptionsFromEnv', () => {
  it('gives the defaults without variables', () => {
    expect(authBenchOptionsFromEnv({})).toEqual(DEFAULT_AUTH_BENCH_OPTIONS);
  });

  it('reads AUTH_BENCH_* overrides', () => {
    const options = authBenchOptionsFromEnv({ AUTH_BENCH_USERS: '20', AUTH_BENCH_DURATION_S: '3', AUTH_BENCH_SIGNINS: '5' });
    expect(options).toMatchObject({ users: 20, durationSeconds: 3, signins: 5, connections: 32 });
  });

  it('takes another entry for ours (an A/A check of the harness)', () => {
    expect(authBenchOptionsFromEnv({ AUTH_BENCH_APP_ENTRY: 'tools/bench/auth/stockServer.ts' }).appEntry).toBe('tools/bench/auth/stockServer.ts');
  });

  it('caps each load run at 10 s', () => {
    expect(authBenchOptionsFromEnv({ AUTH_BENCH_DURATION_S: '60', AUTH_BENCH_WARMUP_S: '30' })).toMatchObject({ durationSeconds: 10, warmupSeconds: 10 });
  });

  it.each(['0', '-3', '2.5', 'ten'])('rejects %s instead of silently using a default', (raw) => {
    expect(() => authBenchOptionsFromEnv({ AUTH_BENCH_USERS: raw })).toThrow(/AUTH_BENCH_USERS must be a positive integer/);
  });
});
