import { ratio, round } from '../bench/auth/stats';
import type { FuzzRun } from './scenarios/fuzz';
import { MEMORY_TARGETS_MB, type MemoryAtScaleRun } from './scenarios/memoryAtScale';
import type { CredentialFloodRun } from './scenarios/credentialFlood';
import type { PostgresFailoverRun } from './scenarios/postgresFailover';
import type { SlowPostgresRun } from './scenarios/slowPostgres';
import type { SoakRun } from './scenarios/soak';
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

/** The scenarios run on our server only (5–8). */
export interface ExtraRuns {
  slowPostgres?: SlowPostgresRun;
  fuzz?: FuzzRun;
  soak?: SoakRun;
  memoryAtScale?: MemoryAtScaleRun;
  credentialFlood?: CredentialFloodRun;
  postgresFailover?: PostgresFailoverRun[];
}

const statusList = (counts: Record<string, number>) => Object.entries(counts).map(([s, n]) => `${s}:${n}`).join(' ');

function failoverFigures(runs: PostgresFailoverRun[], metrics: Record<string, unknown>, rows: Record<string, unknown>[]): void {
  metrics['postgresFailover'] = runs;
  for (const run of runs) {
    for (const [target, statuses] of Object.entries(run.duringSwitch)) {
      rows.push({ scenario: `postgres-failover (${run.members} members, ${run.mode})`, server: 'ours', target, 'answers while down': statusList(statuses), 'first write ms': run.firstWriteMs ?? 'never', 'all 200 ms': run.allOkMs ?? 'never', '401/5xx≠503': run.wrongAnswers });
    }
    for (const [target, c] of [['sign-up', run.signUps], ['ban', run.bans]] as const) {
      rows.push({ scenario: `postgres-failover (${run.members} members, ${run.mode})`, server: 'ours', target, 'answers while down': `acked ${c.acknowledged}/${c.attempted}`, lost: c.lost.length, duplicated: c.duplicated.length, ambiguous: c.ambiguous.length, 'rejoined ms': run.rejoinedMs ?? 'never', rewound: run.rewound, 'old primary serves reads': run.oldPrimaryServesReads });
    }
    metrics['postgres_failover_members'] = run.members;
    metrics[`postgres_failover_acked_lost_${run.mode}`] = run.signUps.lost.length + run.bans.lost.length;
    metrics[`postgres_failover_acked_duplicated_${run.mode}`] = run.signUps.duplicated.length + run.bans.duplicated.length;
    metrics[`postgres_failover_first_write_ms_${run.mode}`] = run.firstWriteMs;
    metrics[`postgres_failover_all_ok_ms_${run.mode}`] = run.allOkMs;
    metrics[`postgres_failover_rejoined_ms_${run.mode}`] = run.rejoinedMs;
  }
  // The headline figures are the synchronous run's (the configuration that promises no loss), else the one run.
  const headline = runs.find((r) => r.mode === 'sync') ?? runs[0];
  if (headline) {
    metrics['postgres_failover_first_write_ms'] = headline.firstWriteMs;
    metrics['postgres_failover_all_ok_ms'] = headline.allOkMs;
  }
}

function extraFigures(extra: ExtraRuns, metrics: Record<string, unknown>, rows: Record<string, unknown>[]): void {
  if (extra.postgresFailover?.length) failoverFigures(extra.postgresFailover, metrics, rows);
  const slow = extra.slowPostgres;
  if (slow) {
    metrics['slowPostgres'] = slow;
    for (const [target, f] of Object.entries(slow.targets)) {
      rows.push({ scenario: 'slow-postgres (lock)', server: 'ours', target, 'answers while down': statusList(f.whileSlow), 'p99 while down ms': f.p99WhileSlowMs, 'max while slow ms': f.maxWhileSlowMs, 'failed in 2 s after': `${f.afterFailed}/${f.afterSent}`, 'p99 after ms': f.p99AfterMs });
      metrics[`slow_postgres_${target.replaceAll('-', '_')}_p99_while_slow_ms`] = f.p99WhileSlowMs;
      metrics[`slow_postgres_${target.replaceAll('-', '_')}_failed_after_release`] = f.afterFailed;
    }
    metrics['slow_postgres_survived'] = slow.survived;
  }
  const flood = extra.credentialFlood;
  if (flood) {
    metrics['credentialFlood'] = flood;
    metrics['credential_flood_breaker_opened'] = flood.breakerOpened;
    for (const [target, f] of Object.entries(flood.legit)) {
      rows.push({ scenario: 'credential-flood', server: 'ours', target, 'answers while down': statusList(f.floodStatuses), 'p99 quiet ms': f.quietP99Ms, 'p99 flood ms': f.floodP99Ms, 'flood/quiet p99': f.p99RatioFloodVsQuiet, 'breaker opened': flood.breakerOpened });
      metrics[`credential_flood_${target.replaceAll('-', '_')}_p99_flood_vs_quiet_ratio`] = f.p99RatioFloodVsQuiet;
    }
    for (const [target, statuses] of Object.entries(flood.flood)) rows.push({ scenario: 'credential-flood', server: 'ours', target, 'answers while down': statusList(statuses) });
  }
  const fuzz = extra.fuzz;
  if (fuzz) {
    metrics['fuzz'] = fuzz;
    rows.push({ scenario: 'fuzz', server: 'ours', target: Object.entries(fuzz.byFamily).map(([f, n]) => `${f}:${n}`).join(' '), 'answers while down': statusList(fuzz.byStatus), '5xx': fuzz.serverErrors, 'no answer': fuzz.noAnswer, alive: fuzz.alive, 'junk rows': `${fuzz.junkRows}/${fuzz.markedUsers}`, 'heap growth %': fuzz.heapGrowthPercent, 'rss growth %': fuzz.rssGrowthPercent });
    metrics['fuzz_requests'] = fuzz.requests;
    metrics['fuzz_5xx'] = fuzz.serverErrors;
    metrics['fuzz_no_answer'] = fuzz.noAnswer;
    metrics['fuzz_server_alive'] = fuzz.alive;
    metrics['fuzz_junk_rows'] = fuzz.junkRows;
    metrics['fuzz_heap_growth_percent'] = fuzz.heapGrowthPercent;
    metrics['fuzz_rss_growth_percent'] = fuzz.rssGrowthPercent;
  }
  const soak = extra.soak;
  if (soak) {
    metrics['soak'] = soak;
    rows.push({ scenario: `soak (${soak.durationS} s)`, server: 'ours', target: `get-session ${soak.rate}/s (max ${soak.measuredMaxRps}/s) + sign-in 2/s`, 'answers while down': `failed ${soak.failed}/${soak.sent}`, 'rss MB first→last': `${soak.rssFirstMb}→${soak.rssLastMb}`, 'fds first→last': `${soak.fdsFirst}→${soak.fdsLast}`, 'db conns max': soak.dbConnectionsMax, [`p99 first/last ${soak.windowS} s ms`]: `${soak.p99FirstMs}/${soak.p99LastMs}` });
    metrics['soak_seconds'] = soak.durationS;
    metrics['soak_rate_per_s'] = soak.rate;
    metrics['soak_failed_requests'] = soak.failed;
    metrics['soak_rss_first_mb'] = soak.rssFirstMb;
    metrics['soak_rss_last_mb'] = soak.rssLastMb;
    metrics['soak_open_fds_first'] = soak.fdsFirst;
    metrics['soak_open_fds_last'] = soak.fdsLast;
    const [firstSample, lastSample] = [soak.samples[0], soak.samples[soak.samples.length - 1]];
    metrics['soak_fd_kinds_first'] = firstSample?.fdKinds ?? null;
    metrics['soak_fd_kinds_last'] = lastSample?.fdKinds ?? null;
    metrics['soak_http_connections_first'] = firstSample?.httpConnections ?? null;
    metrics['soak_http_connections_last'] = lastSample?.httpConnections ?? null;
    metrics['soak_http_connections_max'] = Math.max(...soak.samples.map((s) => s.httpConnections ?? 0));
    metrics['soak_db_connections_max'] = soak.dbConnectionsMax;
    metrics['soak_p99_first_window_ms'] = soak.p99FirstMs;
    metrics['soak_p99_last_window_ms'] = soak.p99LastMs;
  }
  const mem = extra.memoryAtScale;
  if (mem) {
    metrics['memoryAtScale'] = mem;
    rows.push({ scenario: 'memory-at-scale', server: 'ours', target: `${mem.sessions} sessions`, 'answers while down': `answered ${mem.answered}${Object.keys(mem.notAnswered).length ? ` (not: ${JSON.stringify(mem.notAnswered)})` : ''}`, 'rss MB before→after': `${mem.rssBeforeMb}→${mem.rssHalfMb}→${mem.rssAfterMb}`, 'heap MB before→after': `${mem.heapBeforeMb}→${mem.heapAfterMb}`, 'touch s': mem.touchS, 'L1 max entries': mem.l1MaxEntries, 'RSS bytes/session': mem.rssBytesPerSession, 'RSS target MB idle / 100k': `≤ ${MEMORY_TARGETS_MB.idle} / ≤ ${MEMORY_TARGETS_MB.at100k}` });
    metrics['memory_sessions'] = mem.sessions;
    metrics['memory_sessions_answered'] = mem.answered;
    metrics['memory_rss_before_mb'] = mem.rssBeforeMb;
    metrics['memory_rss_after_mb'] = mem.rssAfterMb;
    metrics['memory_heap_before_mb'] = mem.heapBeforeMb;
    metrics['memory_heap_after_mb'] = mem.heapAfterMb;
    metrics['memory_heap_bytes_per_session_second_half'] = mem.heapBytesPerSessionSecondHalf;
    metrics['memory_l1_max_entries'] = mem.l1MaxEntries;
    metrics['memory_rss_bytes_per_session'] = mem.rssBytesPerSession;
    metrics['memory_rss_bytes_per_session_second_half'] = mem.rssBytesPerSessionSecondHalf;
  }
}

/** Metrics (raw runs, headline figures, ours ÷ stock ratios) and table rows of a chaos run. */
/** Targets for a ban on one instance to be refused on the other: while Redis is down, and once it is back. */
const BAN_VISIBLE_TARGET_MS = { during: 2_000, afterReturn: 1_000 } as const;

export function chaosReport(kills: PostgresKillRun[], starts: StartWhileDownRun[], writes: AcknowledgedWritesRun[], redis: RedisOutageRun[] = [], extra: ExtraRuns = {}) {
  // Only what ran: a partial run is merged into the earlier results (see mergeResults).
  const metrics: Record<string, unknown> = {};
  if (kills.length) metrics['postgresKill'] = kills;
  if (starts.length) metrics['startWhileDown'] = starts;
  if (writes.length) metrics['acknowledgedWrites'] = writes;
  if (redis.length) metrics['redisOutage'] = redis;
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
      rows.push({ scenario: `redis-${r.fault}`, server: 'ours ×2', target, 'answers while down': `failed ${f.failedWhileDown}`, 'p99 while down ms': f.p99DownMs, 'p99 down/up': f.p99_down_vs_up_ratio, 'stale after return ms': `${r.staleAfterReturnMs ?? 'never refused'} (${r.afterReturn.stale} stale, ${r.afterReturn.unavailable} unavailable)` });
      metrics[`redis_${r.fault}_${target}_p99_down_vs_up_ratio`] = f.p99_down_vs_up_ratio;
    }
    metrics[`redis_${r.fault}_failed_requests`] = Object.values(r.targets).reduce((n, f) => n + f.failedWhileDown, 0);
    metrics[`redis_${r.fault}_stale_after_return_ms`] = r.staleAfterReturnMs;
    metrics[`redis_${r.fault}_after_return_stale_answers`] = r.afterReturn.stale;
    metrics[`redis_${r.fault}_after_return_unavailable_answers`] = r.afterReturn.unavailable;
    for (const [target, v, targetMs] of [['ban during outage, B refuses', r.banDuring, BAN_VISIBLE_TARGET_MS.during], ['ban after return, B refuses', r.banAfterReturn, BAN_VISIBLE_TARGET_MS.afterReturn]] as const) {
      rows.push({ scenario: `redis-${r.fault}`, server: 'ours ×2', target, 'visible ms': v.visibleMs ?? 'never (5 s)', 'target ms': targetMs, 'stale answers': v.stale, unavailable: v.unavailable });
    }
  }
  if (redis.length) {
    // Worst of the runs; a run where B never refused makes it null.
    const worst = (pick: (r: RedisOutageRun) => number | null) => (redis.some((r) => pick(r) === null) ? null : Math.max(...redis.map((r) => pick(r) as number)));
    metrics['redis_outage_ban_during_visible_ms'] = worst((r) => r.banDuring.visibleMs);
    metrics['redis_outage_ban_after_return_visible_ms'] = worst((r) => r.banAfterReturn.visibleMs);
    metrics['redis_outage_ban_stale_answers'] = redis.reduce((n, r) => n + r.banDuring.stale + r.banAfterReturn.stale, 0);
  }
  const oursStart = starts.find((s) => s.server === 'ours');
  if (oursStart) {
    metrics['start_while_down_survived_ours'] = oursStart.startedWithoutDatabase;
    metrics['start_while_down_ready_after_ms_ours'] = oursStart.readyAfterMs === null ? null : round(oursStart.readyAfterMs, 0);
  }
  extraFigures(extra, metrics, rows);
  return { metrics, rows };
}

/**
 * The metrics of this run over those of the previous `bench/results/chaos.json`: a run of some
 * scenarios replaces their figures and keeps the others, and `scenarioDates` says when each
 * scenario's figures were measured.
 */
export function mergeResults(previous: Record<string, unknown> | undefined, metrics: Record<string, unknown>, scenarios: string[], now: string): Record<string, unknown> {
  const dates = { ...((previous?.['scenarioDates'] as Record<string, string> | undefined) ?? {}) };
  for (const scenario of scenarios) dates[scenario] = now;
  return { ...previous, ...metrics, scenarioDates: dates };
}
