import { ratio, round } from '../bench/auth/stats';
import type { AcknowledgedWritesRun } from './scenarios/acknowledgedWrites';
import type { PostgresKillRun } from './scenarios/postgresKill';
import type { RedisOutageRun } from './scenarios/redisOutage';
import type { StartWhileDownRun } from './scenarios/startWhileDown';

/** The slowest recovery of a run's targets (null when one never settled). */
function worstRecovery(run: PostgresKillRun): number | null {
  const values = Object.values(run.targets).map((t) => t.recoveryMs);
  return values.some((v) => v === null) ? null : Math.max(...(values as number[]));
}

function killRows(runs: PostgresKillRun[]) {
  return runs.flatMap((run) =>
    Object.entries(run.targets).map(([target, f]) => ({
      scenario: `postgres-kill (${run.kill})`,
      server: run.server,
      target,
      'first 503 ms': round(f.timeToFirst503Ms, 0),
      'p99 while down ms': round(f.outageP99Ms, 0),
      'answers while down': Object.entries(f.duringOutage).map(([s, n]) => `${s}:${n}`).join(' '),
      '401/5xx≠503': f.wrongAnswers,
      'slow or hanging': f.slowOrHanging,
      'recovery ms': f.recoveryMs === null ? 'never' : round(f.recoveryMs, 0),
      'db attempts/req': run.attemptsPerRequest ?? 'n/a',
    })),
  );
}

/** Metrics (raw runs, headline figures, ours ÷ stock ratios) and table rows of a chaos run. */
export function chaosReport(kills: PostgresKillRun[], starts: StartWhileDownRun[], writes: AcknowledgedWritesRun[], redis: RedisOutageRun[] = []) {
  const metrics: Record<string, unknown> = { postgresKill: kills, startWhileDown: starts, acknowledgedWrites: writes, redisOutage: redis };
  for (const kill of ['SIGKILL', 'immediate'] as const) {
    const ours = kills.find((r) => r.server === 'ours' && r.kill === kill);
    const stock = kills.find((r) => r.server === 'stock' && r.kill === kill);
    if (!ours) continue;
    const tag = kill === 'SIGKILL' ? 'sigkill' : 'immediate';
    metrics[`recovery_ms_ours_${tag}`] = worstRecovery(ours);
    metrics[`recovery_ms_stock_${tag}`] = stock ? worstRecovery(stock) : null;
    metrics[`recovery_vs_stock_ratio_${tag}`] = ratio(worstRecovery(ours), stock ? worstRecovery(stock) : null);
    metrics[`db_attempts_per_request_while_down_${tag}`] = ours.attemptsPerRequest;
    metrics[`outage_p99_ms_ours_${tag}`] = round(Math.max(...Object.values(ours.targets).map((t) => t.outageP99Ms ?? 0)), 0);
    metrics[`wrong_answers_ours_${tag}`] = Object.values(ours.targets).reduce((n, t) => n + t.wrongAnswers, 0);
  }
  const rows: Record<string, unknown>[] = killRows(kills);
  for (const s of starts) {
    rows.push({
      scenario: 'start-while-down',
      server: s.server,
      target: 'process',
      'answers while down': s.startedWithoutDatabase ? `live:${s.liveWhileDown} ready:${s.readyWhileDown} get-session:${s.getSessionWhileDown}` : `exited (${s.exit ?? '?'})`,
      'recovery ms': s.servingAfterMs === null ? 'never' : round(s.servingAfterMs, 0),
    });
  }
  for (const w of writes) {
    for (const [target, c] of [['sign-up', w.signUps], ['key-create', w.keyCreations]] as const) {
      if (!c) continue;
      rows.push({ scenario: 'acknowledged-writes', server: w.server, target, 'answers while down': `acked ${c.acknowledged}/${c.attempted}`, lost: c.lost.length, duplicated: c.duplicated.length, ambiguous: c.ambiguous.length });
    }
    metrics[`acknowledged_lost_${w.server}`] = w.signUps.lost.length + (w.keyCreations?.lost.length ?? 0);
    metrics[`acknowledged_duplicated_${w.server}`] = w.signUps.duplicated.length + (w.keyCreations?.duplicated.length ?? 0);
    metrics[`signups_acknowledged_${w.server}`] = w.signUps.acknowledged;
  }
  for (const r of redis) {
    for (const [target, f] of Object.entries(r.targets)) {
      rows.push({ scenario: `redis-${r.fault}`, server: 'ours ×2', target, 'answers while down': `failed ${f.failedWhileDown}`, 'p99 while down ms': f.p99DownMs, 'p99 down/up': f.p99_down_vs_up_ratio, 'stale after return ms': r.staleAfterReturnMs ?? 'never refused' });
      metrics[`redis_${r.fault}_${target}_p99_down_vs_up_ratio`] = f.p99_down_vs_up_ratio;
    }
    metrics[`redis_${r.fault}_failed_requests`] = Object.values(r.targets).reduce((n, f) => n + f.failedWhileDown, 0);
    metrics[`redis_${r.fault}_stale_after_return_ms`] = r.staleAfterReturnMs;
  }
  const oursStart = starts.find((s) => s.server === 'ours');
  if (oursStart) {
    metrics['start_while_down_survived_ours'] = oursStart.startedWithoutDatabase;
    metrics['start_while_down_ready_after_ms_ours'] = oursStart.readyAfterMs === null ? null : round(oursStart.readyAfterMs, 0);
  }
  return { metrics, rows };
}
