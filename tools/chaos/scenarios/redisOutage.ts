import { randomBytes } from 'node:crypto';
import { startDedicatedRedis, waitFor } from '@tools/test-harness';
import type { BenchUser } from '../../bench/auth/seed';
import { jsonPostHeaders } from '../../bench/auth/seed';
import { percentile, ratio, round } from '../../bench/auth/stats';
import type { ChaosEnvironment } from '../environment';
import { openLoad, type LoadTarget, type Sample } from '../openLoad';
import { createKeys, getSessionTarget, keyVerifyTarget, signInTarget } from '../targets';
import type { Timeline } from './postgresKill';

/** SIGKILL: Redis refuses; SIGSTOP: Redis hangs (connections open, nothing answered). */
export type RedisFault = 'kill' | 'freeze';

export const REDIS_TIMELINE: Timeline = { killMs: 5_000, restartMs: 12_000, durationMs: 18_000 };

export interface RedisOutageRun {
  fault: RedisFault;
  /** Per endpoint: answers other than 200 while Redis was down (must be 0), and p99 down ÷ up. */
  targets: Record<string, { failedWhileDown: number; p99UpMs: number | null; p99DownMs: number | null; p99_down_vs_up_ratio: number | null }>;
  /**
   * A user banned on instance A while Redis was down, whose session instance B had cached: how
   * long after Redis came back B still answered the session (ms; 0 = never stale; null = B never
   * refused within the deadline).
   */
  staleAfterReturnMs: number | null;
  /** B's answers for that user after Redis came back, until the first refusal: stale (a session) and unavailable (503 or no answer in 2 s). */
  afterReturn: { stale: number; unavailable: number };
  /** The ban on A while Redis was down: ms from its 200 until B first refused the user (null: not within 5 s), and B's answers until then. */
  banDuring: BanVisibility;
  /** A second ban on A once Redis was back (and B answered that user): the same figures. */
  banAfterReturn: BanVisibility;
}

export interface BanVisibility {
  visibleMs: number | null;
  /** B answered 200 with the session after the ban had committed. */
  stale: number;
  unavailable: number;
}

const window = (samples: Sample[], target: string, from: number, to: number) => samples.filter((s) => s.target === target && s.sentMs >= from && s.sentMs < to);

async function sessionOf(baseUrl: string, user: BenchUser): Promise<{ user: { id: string } } | null> {
  const res = await fetch(`${baseUrl}/api/auth/get-session`, { headers: { authorization: `Bearer ${user.token}` } });
  return (await res.json()) as { user: { id: string } } | null;
}

/** B's answer for the banned user: still a session (stale), refused (200 null or 401), or no answer (503, 5xx, or none within 2 s). */
async function afterBan(baseUrl: string, user: BenchUser): Promise<'stale' | 'refused' | 'unavailable'> {
  try {
    const res = await fetch(`${baseUrl}/api/auth/get-session`, { headers: { authorization: `Bearer ${user.token}` }, signal: AbortSignal.timeout(2_000) });
    if (res.status === 401) return 'refused';
    if (res.status !== 200) return 'unavailable';
    return (await res.json()) ? 'stale' : 'refused';
  } catch {
    return 'unavailable';
  }
}

/** The admin the app's bootstrap made in an environment's database (there is one per database). */
const bootstrapAdmins = new WeakMap<ChaosEnvironment, { email: string; password: string }>();

async function ban(baseUrl: string, adminToken: string, userId: string): Promise<void> {
  // A busy server may answer 503 + Retry-After (Postgres waits on a loaded machine): retry as a client would.
  let res: Response | undefined;
  for (let attempt = 0; attempt < 5 && res?.status !== 200; attempt++) {
    if (res) await new Promise((r) => setTimeout(r, 500));
    res = await fetch(`${baseUrl}/api/admin/users/status`, {
      method: 'POST',
      headers: { ...jsonPostHeaders(baseUrl), authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ userIds: [userId], status: 'BANNED', reason: 'chaos' }),
    });
  }
  if (res?.status !== 200) throw new Error(`ban answered ${res?.status}: ${await res?.text()}`);
}

/** Polls B from the ban's commit (its 200) until B refuses the user, within `deadlineMs`. */
async function visibility(baseUrl: string, user: BenchUser, deadlineMs = 5_000): Promise<BanVisibility> {
  const figures: BanVisibility = { visibleMs: null, stale: 0, unavailable: 0 };
  const started = performance.now();
  while (performance.now() - started < deadlineMs) {
    const answer = await afterBan(baseUrl, user);
    if (answer === 'refused') {
      figures.visibleMs = round(performance.now() - started, 0);
      return figures;
    }
    figures[answer]++;
    await new Promise((r) => setTimeout(r, 10));
  }
  return figures;
}

/**
 * Scenario 4: Redis killed (SIGKILL) or frozen (SIGSTOP) under load on two instances that share
 * it; requests must keep succeeding (L1 + Postgres), and a ban made on A while Redis was down must
 * reach B once Redis is back (B drops what it may have missed).
 */
export async function runRedisOutage(env: ChaosEnvironment, fault: RedisFault, timeline: Timeline = REDIS_TIMELINE): Promise<RedisOutageRun> {
  const redis = await startDedicatedRedis();
  const redisPid = redis.pid ?? 0;
  // The admin is made by the app's own bootstrap (a seeded, unverified account would be refused);
  // the first run's bootstrap makes it, later runs on the same database sign in with it.
  const admin = { ...(bootstrapAdmins.get(env) ?? { email: `admin-${Date.now()}@chaos.local`, password: `Chaos-${randomBytes(9).toString('base64url')}` }), token: '' };
  bootstrapAdmins.set(env, { email: admin.email, password: admin.password });
  const extra = { REDIS_URL: redis.url, BOOTSTRAP_ADMIN_EMAIL: admin.email, BOOTSTRAP_ADMIN_PASSWORD: admin.password };
  const a = await env.startOurs(extra);
  const b = await env.startOurs(extra);
  try {
    await waitFor(async () => {
      const signIn = await fetch(`${a.url}/api/auth/sign-in/email`, { method: 'POST', headers: jsonPostHeaders(a.url), body: JSON.stringify({ email: admin.email, password: admin.password }) });
      const body = (await signIn.json()) as { token?: string };
      if (signIn.status !== 200 || !body.token) throw new Error(`admin sign-in answered ${signIn.status}`);
      admin.token = body.token;
    }, 30_000, 'the bootstrap admin signs in');
    // A victim of its own per fault (a ban ends its sessions for good).
    const victim = env.users[fault === 'kill' ? 1 : 2];
    const laterVictim = env.users[fault === 'kill' ? 3 : 4];
    const users = env.users.slice(5);
    const targets: LoadTarget[] = [getSessionTarget(a.url, users), signInTarget(b.url, users), keyVerifyTarget(b.url, await createKeys(a.url, users, 10))];
    // The admin role is assigned in the background at start: wait until the admin route answers.
    for (let i = 0; i < 100 && (await fetch(`${a.url}/api/admin/users/stats`, { headers: { authorization: `Bearer ${admin.token}` } })).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    const victimSession = await sessionOf(b.url, victim);
    if (!victimSession) throw new Error('the victim has no session on B before the fault');
    let staleAfterReturnMs: number | null = null;
    const afterReturn = { stale: 0, unavailable: 0 };
    let banDuring: BanVisibility = { visibleMs: null, stale: 0, unavailable: 0 };
    let banAfterReturn: BanVisibility = { visibleMs: null, stale: 0, unavailable: 0 };
    const down = async () => {
      if (fault === 'kill') await redis.stop();
      else process.kill(redisPid, 'SIGSTOP');
      await ban(a.url, admin.token, victimSession.user.id);
      banDuring = await visibility(b.url, victim);
    };
    const back = async () => {
      if (fault === 'kill') await redis.start();
      else process.kill(redisPid, 'SIGCONT');
      const started = performance.now();
      while (performance.now() - started < 10_000) {
        const answer = await afterBan(b.url, victim);
        if (answer === 'refused') {
          staleAfterReturnMs = round(performance.now() - started, 0);
          return;
        }
        afterReturn[answer]++;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const backThenBan = async () => {
      await back();
      // B holds the second victim's session (L1), then A bans it with Redis back.
      const later = await sessionOf(b.url, laterVictim);
      if (!later) throw new Error('the second victim has no session on B after Redis returned');
      await ban(a.url, admin.token, later.user.id);
      banAfterReturn = await visibility(b.url, laterVictim);
    };
    const { killMs, restartMs, durationMs } = timeline;
    const result = await openLoad(targets, { durationMs, actions: [{ atMs: killMs, label: 'down', run: down }, { atMs: restartMs, label: 'back', run: backThenBan }] });
    const figures: RedisOutageRun['targets'] = {};
    for (const t of targets) {
      const up = window(result.samples, t.name, 0, killMs).map((s) => s.ms);
      const during = window(result.samples, t.name, killMs, restartMs);
      const p99UpMs = percentile(up, 99);
      const p99DownMs = percentile(during.map((s) => s.ms), 99);
      figures[t.name] = { failedWhileDown: during.filter((s) => s.status !== 200).length, p99UpMs: round(p99UpMs, 1), p99DownMs: round(p99DownMs, 1), p99_down_vs_up_ratio: round(ratio(p99DownMs, p99UpMs), 2) };
    }
    return { fault, targets: figures, staleAfterReturnMs, afterReturn, banDuring, banAfterReturn };
  } finally {
    if (redis.running && fault === 'freeze') process.kill(redisPid, 'SIGCONT');
    await env.stop(a);
    await env.stop(b);
    await redis.stop();
  }
}
