import { percentile } from '../bench/auth/stats';
import type { Sample } from './openLoad';

/** What happened to one target's requests around an outage. */
export interface OutageFigures {
  sent: number;
  /** Answers by status for requests sent while the dependency was down ("0" = no answer). */
  duringOutage: Record<string, number>;
  /** From the kill to the first 503 with Retry-After (answer time), ms; null if none came. */
  timeToFirst503Ms: number | null;
  /** p99 of answers while the dependency was down, ms. */
  outageP99Ms: number | null;
  /** Requests answered after more than 1 s, or never. */
  slowOrHanging: number;
  /** 401s and 5xx other than 503 while the dependency was down: answers an outage must never give. */
  wrongAnswers: number;
  /** From the restart until every later answer was 200, ms (null: it never settled). */
  recoveryMs: number | null;
}

const byTarget = (samples: Sample[], target: string) => samples.filter((s) => s.target === target);

export function outageFigures(samples: Sample[], target: string, killMs: number, restartMs: number, endMs: number): OutageFigures {
  const mine = byTarget(samples, target).sort((a, b) => a.sentMs - b.sentMs);
  const during = mine.filter((s) => s.sentMs >= killMs && s.sentMs < restartMs);
  const counts: Record<string, number> = {};
  for (const s of during) counts[String(s.status)] = (counts[String(s.status)] ?? 0) + 1;
  const first503 = during.filter((s) => s.status === 503 && s.retryAfter).map((s) => s.sentMs + s.ms - killMs);
  const after = mine.filter((s) => s.sentMs >= restartMs);
  const failedAfter = after.filter((s) => s.status !== 200);
  const lastFailure = failedAfter.length ? Math.max(...failedAfter.map((s) => s.sentMs + s.ms)) : null;
  const settled = lastFailure === null || after.some((s) => s.status === 200 && s.sentMs > lastFailure);
  return {
    sent: mine.length,
    duringOutage: counts,
    timeToFirst503Ms: first503.length ? Math.min(...first503) : null,
    outageP99Ms: percentile(during.map((s) => s.ms), 99),
    slowOrHanging: during.filter((s) => s.status === 0 || s.ms > 1_000).length,
    wrongAnswers: during.filter((s) => s.status === 401 || (s.status >= 500 && s.status !== 503)).length,
    recoveryMs: !settled || endMs <= restartMs ? null : lastFailure === null ? 0 : Math.max(0, lastFailure - restartMs),
  };
}

/** The value of one Prometheus sample line (`name{labels} value`), or 0 when absent. */
export function promValue(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  }
  return 0;
}
