import type { ChildServer } from '../../bench/auth/childServer';
import { round } from '../../bench/auth/stats';
import { outageFigures, promValue, type OutageFigures } from '../analysis';
import type { ChaosEnvironment, PostgresKill } from '../environment';
import { openLoad, type LoadTarget } from '../openLoad';
import { createKeys, getSessionTarget, keyVerifyTarget, signInTarget } from '../targets';

/** The timeline of one run: load from 0, Postgres down at `killMs`, back at `restartMs`. */
export interface Timeline {
  killMs: number;
  restartMs: number;
  durationMs: number;
}

export const POSTGRES_KILL_TIMELINE: Timeline = { killMs: 5_000, restartMs: 15_000, durationMs: 20_000 };

export interface PostgresKillRun {
  server: 'ours' | 'stock';
  kill: PostgresKill;
  targets: Record<string, OutageFigures>;
  /** Database attempts the server made per request sent during the outage (ours: from /metrics). */
  attemptsPerRequest: number | null;
  /** The server process was still running afterwards. */
  survived: boolean;
}

const ATTEMPTS = { name: 'auth_events_total', labels: { event: 'database_attempts' } };

async function attempts(server: ChildServer): Promise<number | null> {
  try {
    return promValue(await (await fetch(`${server.url}/metrics`)).text(), ATTEMPTS.name, ATTEMPTS.labels);
  } catch {
    return null;
  }
}

/**
 * Scenario 1: Postgres killed under open-model load on get-session, sign-in and (ours) API-key
 * verification, then restarted. Per target: answers by status during the outage, time to the
 * first 503 + Retry-After, p99 while down, slow or hanging requests, time until every answer is
 * 200 again; and database attempts per request during the outage, counted by the server.
 */
export async function runPostgresKill(env: ChaosEnvironment, server: 'ours' | 'stock', kill: PostgresKill, timeline: Timeline = POSTGRES_KILL_TIMELINE): Promise<PostgresKillRun> {
  const { killMs, restartMs, durationMs } = timeline;
  const process = server === 'ours' ? await env.startOurs() : await env.startStock();
  try {
    const users = env.users;
    const targets: LoadTarget[] = [getSessionTarget(process.url, users), signInTarget(process.url, users)];
    if (server === 'ours') targets.push(keyVerifyTarget(process.url, await createKeys(process.url, users, 20)));
    let before: number | null = null;
    let after: number | null = null;
    const result = await openLoad(targets, {
      durationMs,
      actions: [
        { atMs: killMs, label: 'kill', run: async () => ((before = server === 'ours' ? await attempts(process) : null), await env.killPostgres(kill)) },
        { atMs: restartMs, label: 'restart', run: async () => ((after = server === 'ours' ? await attempts(process) : null), await env.pg.start()) },
      ],
    });
    const down = result.samples.filter((s) => s.sentMs >= killMs && s.sentMs < restartMs).length;
    const figures: Record<string, OutageFigures> = {};
    for (const t of targets) figures[t.name] = outageFigures(result.samples, t.name, killMs, result.actions['restart'] ?? restartMs, durationMs);
    const survived = (await fetch(`${process.url}/health/live`).then((r) => r.status).catch(() => 0)) !== 0;
    return { server, kill, targets: figures, attemptsPerRequest: before !== null && after !== null && down > 0 ? round((after - before) / down, 3) : null, survived };
  } finally {
    if (!env.pg.running) await env.pg.start();
    await env.stop(process);
  }
}
