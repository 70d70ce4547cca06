import { keyVerifyReport, type KeyVerifyFigures } from './keyVerify';
import { keyVerifyRequests, writeCalls } from './keyVerifyLoad';

const figures = (over: Partial<KeyVerifyFigures>): KeyVerifyFigures => ({
  rps: 100,
  roundRps: [100],
  p50Ms: 5,
  p99Ms: 20,
  requests: 1_000,
  sent: 1_000,
  non2xx: 0,
  errors: 0,
  bytesPerResponse: 200,
  cpuMsPerRequest: 1,
  statements: null,
  writesPerRequest: 0,
  ...over,
});

describe('key verification phase', () => {
  it('builds one POST per key with the key in a JSON body', () => {
    const requests = keyVerifyRequests(['a', 'b']);
    expect(requests).toEqual([
      { method: 'POST', path: '/api/auth/api-key/verify', headers: { 'content-type': 'application/json' }, body: '{"key":"a"}' },
      { method: 'POST', path: '/api/auth/api-key/verify', headers: { 'content-type': 'application/json' }, body: '{"key":"b"}' },
    ]);
    expect(() => keyVerifyRequests([])).toThrow(RangeError);
  });

  it('counts writes (INSERT/UPDATE/DELETE, CTE writes) and not reads or transaction control', () => {
    const rows = [
      { query: 'SELECT * FROM "apikey" WHERE "key" = $1', calls: 100 },
      { query: 'UPDATE "apikey" SET "lastRequest" = $1 WHERE "id" = $2', calls: 100 },
      { query: 'update "apikey" set "requestCount" = $1', calls: 100 },
      { query: 'WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', calls: 2 },
      { query: 'BEGIN', calls: 50 },
      { query: 'COMMIT', calls: 50 },
    ];
    expect(writeCalls(rows)).toBe(202);
  });

  it('reports ours ÷ stock ratios and writes per verification, null when a side is missing or unclean', () => {
    const report = keyVerifyReport(figures({ rps: 500, p99Ms: 100, cpuMsPerRequest: 2, writesPerRequest: 2 }), figures({ rps: 2_000, p99Ms: 10, cpuMsPerRequest: 0.2, writesPerRequest: 0.0001 }), {});
    expect(report.metrics.key_verify_rps_vs_stock_ratio).toBe(4);
    expect(report.metrics.key_verify_p99_vs_stock_ratio).toBe(0.1);
    expect(report.metrics.key_verify_cpu_per_req_vs_stock_ratio).toBeCloseTo(0.1);
    expect(report.metrics.key_verify_writes_per_req_stock).toBe(2);
    expect(report.metrics.key_verify_writes_per_req_ours).toBe(0.0001);
    expect(report.rows).toHaveLength(2);

    const noStock = keyVerifyReport(null, figures({}), { stock_reason: 'not installed' });
    expect(noStock.metrics.key_verify_rps_vs_stock_ratio).toBeNull();
    expect(noStock.metrics.keyVerify).toMatchObject({ stock: 'not available', stock_reason: 'not installed' });
    const unclean = keyVerifyReport(figures({}), figures({ non2xx: 3 }), {});
    expect(unclean.metrics.key_verify_rps_vs_stock_ratio).toBeNull();
  });
});
