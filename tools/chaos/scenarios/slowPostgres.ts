import { Client } from 'pg';
import { jsonPostHeaders } from '../../bench/auth/seed';
import { percentile, round } from '../../bench/auth/stats';
import type { ChaosEnvironment } from '../environment';
import { openLoad, type LoadTarget, type Sample } from '../openLoad';
import { getSessionTarget, signInTarget } from '../targets';
import type { Timeline } from './postgresKill';

export const SLOW_POSTGRES_TIMELINE: Timeline = { killMs: 3_000, restartMs: 11_000, durationMs: 16_000 };

/** The tables the lock holds: every sign-in, sign-up and uncached get-session touches one. */
const LOCKED_TABLES = ['"User"', '"UserSession"'];

export interface SlowTargetFigures {
  /** Answers by status for requests sent while the lock was held ("0" = no answer within 5 s). */
  whileSlow: Record<string, number>;
  p99WhileSlowMs: number | null;
  maxWhileSlowMs: number | null;
  /** Requests sent in the 2 s after the lock was released, and how many of them were not 2xx. */
  afterSent: number;
  afterFailed: number;
  p99AfterMs: number | null;
}

export interface SlowPostgresRun {
  server: 'ours';
  lockedTables: string[];
  targets: Record<string, SlowTargetFigures>;
  /** The server process still answered /health/live afterwards. */
  survived: boolean;
}

const counts = (samples: Sample[]) => {
  const out: Record<string, number> = {};
  for (const s of samples) out[String(s.status)] = (out[String(s.status)] ?? 0) + 1;
  return out;
};

function signUpTarget(baseUrl: string, rate: number): LoadTarget {
  const tag = Date.now().toString(36);
  return {
    name: 'sign-up',
    rate,
    request: (i) => ({ url: `${baseUrl}/api/auth/sign-up/email`, init: { method: 'POST', headers: jsonPostHeaders(baseUrl), body: JSON.stringify({ email: `slow-${tag}-${i}@chaos.local`, password: `Slow-${tag}-password`, name: `Slow ${i}` }) } }),
  };
}

const probe = (name: string, url: string, rate: number): LoadTarget => ({ name, rate, request: () => ({ url, init: {} }) });

/** get-session with a token no cache knows: every one is a session lookup in Postgres (401 when it answers). */
const unknownSessionTarget = (baseUrl: string, rate: number): LoadTarget => ({
  name: 'get-session-uncached',
  rate,
  request: (i) => ({ url: `${baseUrl}/api/auth/get-session`, init: { headers: { authorization: `Bearer chaos-unknown-${Date.now().toString(36)}-${i}` } } }),
});

/**
 * As a server in service: every seeded user's session read once (cache and JIT warm) and one
 * sign-in, so the figures are about the lock, not about a cold process on a loaded machine.
 */
async function warmUp(baseUrl: string, users: ChaosEnvironment['users']): Promise<void> {
  for (const user of users) await (await fetch(`${baseUrl}/api/auth/get-session`, { headers: { authorization: `Bearer ${user.token}` } })).arrayBuffer();
  const target = signInTarget(baseUrl, users, 1).request(0);
  await (await fetch(target.url, target.init)).arrayBuffer();
}

/**
 * Scenario 5: Postgres slow rather than gone — a runner-held transaction takes
 * `LOCK TABLE … IN ACCESS EXCLUSIVE MODE` on the user and session tables, so every statement
 * touching them waits (the connection is up, nothing answers), then commits. Per target: answers
 * and p99 while the lock is held (bounded only by per-attempt timeouts), /health/live and
 * /health/ready while slow, and the 2 s after release (the pool must not be starved).
 */
export async function runSlowPostgres(env: ChaosEnvironment, timeline: Timeline = SLOW_POSTGRES_TIMELINE): Promise<SlowPostgresRun> {
  const { killMs, restartMs, durationMs } = timeline;
  const server = await env.startOurs();
  const holder = new Client({ connectionString: env.url });
  await holder.connect();
  let holding = false;
  try {
    const users = env.users;
    await warmUp(server.url, users);
    // Cached sessions (the seeded users) and unknown tokens (each one a query on the locked table).
    const targets: LoadTarget[] = [
      getSessionTarget(server.url, users, 20),
      unknownSessionTarget(server.url, 5),
      signInTarget(server.url, users, 2),
      signUpTarget(server.url, 2),
      probe('health-live', `${server.url}/health/live`, 4),
      probe('health-ready', `${server.url}/health/ready`, 2),
    ];
    const result = await openLoad(targets, {
      durationMs,
      actions: [
        {
          atMs: killMs,
          label: 'lock',
          run: async () => {
            await holder.query('BEGIN');
            for (const table of LOCKED_TABLES) await holder.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
            holding = true;
          },
        },
        { atMs: restartMs, label: 'release', run: async () => ((holding = false), void (await holder.query('COMMIT'))) },
      ],
    });
    const lockAt = result.actions['lock'] ?? killMs;
    const releaseAt = result.actions['release'] ?? restartMs;
    const figures: Record<string, SlowTargetFigures> = {};
    for (const t of targets) {
      const mine = result.samples.filter((s) => s.target === t.name);
      const during = mine.filter((s) => s.sentMs >= lockAt && s.sentMs < releaseAt);
      const after = mine.filter((s) => s.sentMs >= releaseAt && s.sentMs < releaseAt + 2_000);
      figures[t.name] = {
        whileSlow: counts(during),
        p99WhileSlowMs: round(percentile(during.map((s) => s.ms), 99), 0),
        maxWhileSlowMs: round(during.length ? Math.max(...during.map((s) => s.ms)) : null, 0),
        afterSent: after.length,
        // An unknown token answered 401 is the right answer once Postgres answers.
        afterFailed: after.filter((s) => !(s.status >= 200 && s.status < 300) && !(t.name === 'get-session-uncached' && s.status === 401)).length,
        p99AfterMs: round(percentile(after.map((s) => s.ms), 99), 0),
      };
    }
    const survived = await fetch(`${server.url}/health/live`).then((r) => r.status === 200).catch(() => false);
    return { server: 'ours', lockedTables: LOCKED_TABLES, targets: figures, survived };
  } finally {
    if (holding) await holder.query('ROLLBACK').catch(() => undefined);
    await holder.end().catch(() => undefined);
    await env.stop(server);
  }
}
