import { jsonPostHeaders, type BenchUser } from './seed';
import { SIGN_IN_PATH } from './signIn';
import { percentile, ratio, round } from './stats';

/** p50 latency of failed sign-ins, by kind, on one server. */
export interface EnumerationFigures {
  unknownEmailP50Ms: number | null;
  wrongPasswordP50Ms: number | null;
  /** |unknown − wrong| p50: what an attacker timing sign-ins could tell apart. */
  gapMs: number | null;
  /** Answers other than the expected 401 (a 429 would mean the limits, not the timing, answered). */
  unexpected: number;
}

async function failedSignIn(baseUrl: string, email: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${SIGN_IN_PATH}`, { method: 'POST', headers: jsonPostHeaders(baseUrl), body: JSON.stringify({ email, password: 'not the password at all' }) });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

/**
 * `count` failed sign-ins of each kind, interleaved (unknown email, then a known email with a
 * wrong password), one in flight, so both kinds see the same machine load.
 */
export async function measureEnumeration(baseUrl: string, users: BenchUser[], count: number): Promise<EnumerationFigures> {
  const unknown: number[] = [];
  const wrong: number[] = [];
  let unexpected = 0;
  for (let i = 0; i < count; i++) {
    const a = await failedSignIn(baseUrl, `nobody-${i}-${Date.now()}@bench.local`);
    const b = await failedSignIn(baseUrl, users[i % users.length].email);
    for (const [answer, into] of [[a, unknown], [b, wrong]] as const) {
      if (answer.status === 401) into.push(answer.ms);
      else unexpected++;
    }
  }
  const u = percentile(unknown, 50);
  const w = percentile(wrong, 50);
  return { unknownEmailP50Ms: u, wrongPasswordP50Ms: w, gapMs: u === null || w === null ? null : Math.abs(u - w), unexpected };
}

/** Metrics and rows of the enumeration phase: the gap of each server, and ours ÷ stock. */
export function enumerationReport(stock: EnumerationFigures | null, ours: EnumerationFigures | null) {
  const row = (server: string, f: EnumerationFigures | null) =>
    f ? { server, 'unknown email p50 ms': round(f.unknownEmailP50Ms), 'wrong password p50 ms': round(f.wrongPasswordP50Ms), 'gap ms': round(f.gapMs) } : { server, 'gap ms': '—' };
  return {
    metrics: {
      enumeration: { request: 'sequential failed POST /api/auth/sign-in/email, unknown email and wrong password interleaved', stock: stock ?? 'not available', ours: ours ?? 'not available' },
      enumeration_gap_ms_ours: ours ? round(ours.gapMs) : null,
      enumeration_gap_ms_stock: stock ? round(stock.gapMs) : null,
      enumeration_gap_vs_stock_ratio: ratio(ours?.gapMs, stock?.gapMs),
    },
    rows: [row('enumeration: stock Better-Auth', stock), row('enumeration: ours', ours)],
  };
}
