/** Value at percentile `p` (0–100) of `values`, nearest-rank; null for no values. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length);
  return sorted[Math.max(rank, 1) - 1];
}

/** `ours ÷ baseline`, or null when either side was not measured (never a made-up number). */
export function ratio(ours: number | null | undefined, baseline: number | null | undefined): number | null {
  if (typeof ours !== 'number' || typeof baseline !== 'number' || !Number.isFinite(ours) || !Number.isFinite(baseline) || baseline === 0) {
    return null;
  }
  return ours / baseline;
}

/** CPU milliseconds per request between two `process.cpuUsage()` readings (user + system). */
export function cpuMsPerRequest(
  before: { userMicros: number; systemMicros: number },
  after: { userMicros: number; systemMicros: number },
  requests: number,
): number | null {
  if (!(requests > 0)) return null;
  const micros = after.userMicros - before.userMicros + (after.systemMicros - before.systemMicros);
  return micros / 1000 / requests;
}

/** Rounds for display and JSON; null stays null. */
export function round(value: number | null | undefined, digits = 2): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
