import type { ServerFigures } from './figures';
import { ratio, round } from './stats';

/** What became of the app: measured, or why it could not be. */
export type OursOutcome = { figures: ServerFigures } | { unavailable: string };

export interface AuthReportInput {
  stock: ServerFigures;
  nodehttp: ServerFigures;
  ours: OursOutcome;
  /** The app with OTEL_TRACING=on (exporting to a sink), when it was measured. */
  traced?: ServerFigures;
  /** Size of a real getSession body: a run whose answers average less was answering something else (e.g. `null`). */
  sessionBodyBytes: number;
  /** Run parameters, copied into the JSON. */
  config: Record<string, unknown>;
}

export interface AuthReport {
  metrics: Record<string, unknown>;
  rows: Record<string, unknown>[];
  /** Ours beside the sign-in and sign-out targets (printed after the rows). */
  targets: Record<string, unknown>[];
  /** Reasons a figure is not trustworthy (non-2xx answers, failed sign-ins); empty when clean. */
  warnings: string[];
}

export const NOT_AVAILABLE = 'not available';

/** A getSession run with any non-2xx answer, socket error or too-small answer measured something else. */
function validRps(name: string, figures: ServerFigures, sessionBodyBytes: number, warnings: string[]): number | null {
  const g = figures.getSession;
  if (g.requests === 0 || g.non2xx > 0 || g.errors > 0) {
    warnings.push(`${name}: getSession run had ${g.non2xx} non-2xx answers and ${g.errors} errors of ${g.requests}; its ratios are null`);
    return null;
  }
  if (g.bytesPerResponse < sessionBodyBytes) {
    warnings.push(`${name}: answers averaged ${Math.round(g.bytesPerResponse)} bytes, less than a ${sessionBodyBytes}-byte session; its ratios are null`);
    return null;
  }
  return g.rps;
}

function validSignInP50(name: string, figures: ServerFigures, warnings: string[]): number | null {
  const s = figures.signIn;
  if (!s) return null;
  if (s.failures === 0 && s.p50Ms !== null) return s.p50Ms;
  warnings.push(`${name}: ${s.failures} sign-ins failed; its sign-in ratio is null`);
  return null;
}

function row(server: string, f: ServerFigures): Record<string, unknown> {
  const g = f.getSession;
  const s = f.signIn;
  return {
    server,
    'getSession req/s': round(g.rps, 0),
    'p50 ms': round(g.p50Ms),
    'p99 ms': round(g.p99Ms),
    'CPU ms/req': round(g.cpuMsPerRequest, 3),
    'queries/req': g.statements?.queriesPerRequest ?? 'n/a',
    'sign-in p50 ms': s ? round(s.p50Ms, 1) : 'n/a',
    'sign-in CPU ms': s ? round(s.cpuMsPerRequest, 1) : 'n/a',
    'sign-in queries': s ? (s.statements?.queriesPerRequest ?? 'n/a') : 'n/a',
    'sign-out p50 ms': f.signOut ? round(f.signOut.p50Ms, 1) : 'n/a',
    'sign-out queries': f.signOut ? (f.signOut.statements?.queriesPerRequest ?? 'n/a') : 'n/a',
  };
}

/** Ours beside the sign-in / sign-out targets (queries: every statement of the window, background writes included). */
function targetRows(metrics: Record<string, unknown>, ours: ServerFigures | null): Record<string, unknown>[] {
  return [
    { server: 'target: queries per sign-in (request path ≤ 3; counted here with the background writes)', measured: ours?.signIn?.statements?.queriesPerRequest ?? 'n/a' },
    { server: 'target: sign-in p50 ÷ stock ≤ 1.0', measured: round(metrics['signin_p50_vs_stock_ratio'] as number | null, 3) ?? 'n/a' },
    { server: 'target: CPU per sign-in ÷ stock ≤ 1.0', measured: round(metrics['signin_cpu_per_req_vs_stock_ratio'] as number | null, 3) ?? 'n/a' },
    { server: 'target: sign-out p50 ≤ 10 ms', measured: ours?.signOut ? round(ours.signOut.p50Ms, 1) : 'n/a' },
    { server: 'tracing on ÷ off: getSession req/s, CPU/req; sign-in p50', measured: [metrics['tracing_on_vs_off_getSession_rps_ratio'], metrics['tracing_on_vs_off_getSession_cpu_ratio'], metrics['tracing_on_vs_off_signin_p50_ratio']].map((r) => (typeof r === 'number' ? round(r, 3) : 'n/a')).join(' / ') },
  ];
}

/**
 * The `auth` result: every server's figures, and each ratio as ours ÷ baseline — null, never
 * invented, when the app is not available or a run was not clean.
 */
export function buildAuthReport(input: AuthReportInput): AuthReport {
  const warnings: string[] = [];
  const stockRps = validRps('stock', input.stock, input.sessionBodyBytes, warnings);
  const nodeRps = validRps('nodehttp', input.nodehttp, input.sessionBodyBytes, warnings);
  const stockSignIn = validSignInP50('stock', input.stock, warnings);
  const ours = 'figures' in input.ours ? input.ours.figures : null;
  const oursRps = ours ? validRps('ours', ours, input.sessionBodyBytes, warnings) : null;
  const oursSignIn = ours ? validSignInP50('ours', ours, warnings) : null;

  const metrics: Record<string, unknown> = {
    config: { ...input.config, sessionBodyBytes: input.sessionBodyBytes },
    stock: input.stock,
    nodehttp: input.nodehttp,
    ours: ours ?? NOT_AVAILABLE,
    ...('unavailable' in input.ours ? { ours_reason: input.ours.unavailable } : {}),
    getSession_rps_vs_stock_ratio: ratio(oursRps, stockRps),
    getSession_rps_vs_nodehttp_ratio: ratio(oursRps, nodeRps),
    signin_p50_vs_stock_ratio: ratio(oursSignIn, stockSignIn),
    stock_vs_nodehttp_rps_ratio: ratio(stockRps, nodeRps),
    // CPU per request is the steadiest figure on a shared machine (latency moves with other jobs).
    getSession_cpu_per_req_vs_stock_ratio: oursRps === null || stockRps === null ? null : ratio(ours?.getSession.cpuMsPerRequest, input.stock.getSession.cpuMsPerRequest),
    signin_cpu_per_req_vs_stock_ratio: oursSignIn === null || stockSignIn === null ? null : ratio(ours?.signIn?.cpuMsPerRequest, input.stock.signIn?.cpuMsPerRequest),
    signout_p50_ms: ours?.signOut?.p50Ms ?? null,
    signout_p50_vs_stock_ratio: ratio(ours?.signOut?.p50Ms, input.stock.signOut?.p50Ms),
    warnings,
  };
  const rows = [row('stock Better-Auth', input.stock), row('bare node:http', input.nodehttp)];
  rows.push(ours ? row('ours', ours) : { server: `ours: ${NOT_AVAILABLE}`, 'getSession req/s': '—' });
  if (input.traced) {
    rows.push(row('ours, OTEL_TRACING=on', input.traced));
    metrics['traced'] = input.traced;
    metrics['tracing_on_vs_off_getSession_rps_ratio'] = ratio(input.traced.getSession.rps, ours?.getSession.rps);
    metrics['tracing_on_vs_off_getSession_cpu_ratio'] = ratio(input.traced.getSession.cpuMsPerRequest, ours?.getSession.cpuMsPerRequest);
    metrics['tracing_on_vs_off_signin_p50_ratio'] = ratio(input.traced.signIn?.p50Ms, ours?.signIn?.p50Ms);
  }
  return { metrics, rows, targets: targetRows(metrics, ours), warnings };
}
