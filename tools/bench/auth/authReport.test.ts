import { buildAuthReport, NOT_AVAILABLE } from './authReport';
import type { ServerFigures } from './figures';

function figures(rps: number, signInP50: number | null, overrides: Partial<ServerFigures['getSession']> = {}): ServerFigures {
  return {
    getSession: {
      rps,
      roundRps: [rps, rps],
      p50Ms: 10,
      p99Ms: 40,
      requests: rps * 8,
      sent: rps * 8 + 32,
      non2xx: 0,
      errors: 0,
      bytesPerResponse: 700,
      cpuMsPerRequest: 3,
      statements: { queriesPerRequest: 2, transactionsPerRequest: 0, top: [] },
      ...overrides,
    },
    signIn: signInP50 === null ? null : { p50Ms: signInP50, p99Ms: signInP50 * 2, measured: 30, failures: 0, cpuMsPerRequest: 90, statements: null },
  };
}

const base = { stock: figures(300, 80), nodehttp: figures(15_000, null), sessionBodyBytes: 600, config: { users: 200 } };

describe('buildAuthReport', () => {
  it('records ours as not available with null ratios and says why', () => {
    const report = buildAuthReport({ ...base, ours: { unavailable: 'GET /api/auth/get-session → 404' } });
    expect(report.metrics).toMatchObject({
      ours: NOT_AVAILABLE,
      ours_reason: 'GET /api/auth/get-session → 404',
      getSession_rps_vs_stock_ratio: null,
      getSession_rps_vs_nodehttp_ratio: null,
      signin_p50_vs_stock_ratio: null,
      stock_vs_nodehttp_rps_ratio: 0.02,
      getSession_cpu_per_req_vs_stock_ratio: null,
      signin_cpu_per_req_vs_stock_ratio: null,
    });
    expect(report.rows).toHaveLength(3);
    expect(report.rows[2].server).toBe(`ours: ${NOT_AVAILABLE}`);
    expect(report.rows[2]).not.toHaveProperty('p50 ms');
  });

  it('gives every ratio as ours ÷ baseline when ours was measured', () => {
    const ours = figures(1_500, 60);
    ours.getSession.cpuMsPerRequest = 0.75;
    ours.signIn!.cpuMsPerRequest = 45;
    const report = buildAuthReport({ ...base, ours: { figures: ours } });
    expect(report.metrics).toMatchObject({
      getSession_rps_vs_stock_ratio: 5,
      getSession_rps_vs_nodehttp_ratio: 0.1,
      signin_p50_vs_stock_ratio: 0.75,
      getSession_cpu_per_req_vs_stock_ratio: 0.25,
      signin_cpu_per_req_vs_stock_ratio: 0.5,
    });
    expect(report.metrics).not.toHaveProperty('ours_reason');
    expect(report.warnings).toEqual([]);
  });

  it('refuses a ratio from a run with non-2xx answers', () => {
    const report = buildAuthReport({ ...base, ours: { figures: figures(9_000, 60, { non2xx: 5 }) } });
    expect(report.metrics.getSession_rps_vs_stock_ratio).toBeNull();
    expect(report.warnings.join()).toMatch(/ours: getSession run had 5 non-2xx/);
  });

  it('refuses a ratio from answers smaller than a session (a 200 `null` is not a session)', () => {
    const report = buildAuthReport({ ...base, ours: { figures: figures(9_000, 60, { bytesPerResponse: 150 }) } });
    expect(report.metrics.getSession_rps_vs_nodehttp_ratio).toBeNull();
    expect(report.warnings.join()).toMatch(/less than a 600-byte session/);
  });

  it('refuses a sign-in ratio when sign-ins failed', () => {
    const ours = figures(1_000, 60);
    ours.signIn!.failures = 2;
    const report = buildAuthReport({ ...base, ours: { figures: ours } });
    expect(report.metrics.signin_p50_vs_stock_ratio).toBeNull();
    expect(report.metrics.getSession_rps_vs_stock_ratio).not.toBeNull();
  });
});
