import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChaosEnvironment } from '../environment';
import { buildApp } from '../builtApp';
import { heapUsedMb, rssMb } from '../processStats';

export interface MemoryAtScaleRun {
  server: 'ours';
  sessions: number;
  /** What was measured: the built app (`node dist/apps/auth-service/main.js`), as deployed. */
  script: string;
  /** Sessions that get-session answered with their user (touched, so cached in L1 up to its capacity). */
  answered: number;
  /** The others, by outcome (`status 401`, `status 200 without user`, `timeout`, `error <name>`). */
  notAnswered: Record<string, number>;
  rssBeforeMb: number | null;
  rssAfterMb: number | null;
  heapBeforeMb: number | null;
  heapAfterMb: number | null;
  /** RSS and heap after the first half of the sessions, to tell a per-session slope from warm-up. */
  rssHalfMb: number | null;
  heapHalfMb: number | null;
  /** Touching every session, seconds. */
  touchS: number;
  /** The L1 bound the server ran with (CACHE_L1_MAX_ENTRIES): room for every session and its user. */
  l1MaxEntries: number;
  /** (RSS after − RSS before) ÷ sessions answered: what one live cached session costs. */
  rssBytesPerSession: number | null;
  /** (RSS after − RSS at half) ÷ the second half's sessions: the slope without warm-up. */
  rssBytesPerSessionSecondHalf: number | null;
  /** (heap after − heap at half) ÷ the second half's sessions. */
  heapBytesPerSessionSecondHalf: number | null;
}

const MB = 1024 * 1024;

/** The targets for the built server's RSS: idle, and holding 100,000 cached sessions. */
export const MEMORY_TARGETS_MB = { idle: 150, at100k: 300 } as const;
const perSession = (fromMb: number | null, toMb: number | null, count: number) => (fromMb !== null && toMb !== null && count > 0 ? Math.round(((toMb - fromMb) * MB) / count) : null);

/** L1 room per session: the session row, plus headroom for users, keys and roles. */
const l1EntriesFor = (sessions: number) => Math.ceil(sessions * 1.1) + 1_000;

/**
 * Scenario 8: `CHAOS_SESSIONS` (default 100,000) live sessions inserted by SQL into the runner's
 * database (spread over the seeded users who may act — redis-outage bans two of them, whose
 * sessions get-session rightly answers `null`: that was 5,000 of 100,000 "unanswered" when the
 * scenarios ran in one go — expiring in a week), each then read once through
 * /api/auth/get-session so it is cached; RSS and heap of the built server (as deployed, no tsx)
 * before, at half and after.
 */
export async function runMemoryAtScale(env: ChaosEnvironment, sessions = Number(process.env['CHAOS_SESSIONS'] ?? 100_000), concurrency = 16): Promise<MemoryAtScaleRun> {
  const prefix = `mem${randomBytes(6).toString('hex')}`;
  await env.query(
    `INSERT INTO "UserSession" (id, token, "userId", "expiresAt", "createdAt", "updatedAt", "lastAccessedAt")
     SELECT $1 || '-' || g, $1 || md5($1 || g::text), u.ids[1 + g % array_length(u.ids, 1)], now() + interval '7 days', now(), now(), now()
     FROM generate_series(1, $2::int) g, (SELECT array_agg(id) AS ids FROM "User" WHERE email LIKE 'bench-user-%' AND status = 'ACTIVE' AND NOT "isDeleted") u`,
    [prefix, sessions],
  );
  const tokens = (await env.query<{ token: string }>(`SELECT token FROM "UserSession" WHERE id LIKE $1 ORDER BY id`, [`${prefix}-%`])).map((r) => r.token);
  const l1MaxEntries = l1EntriesFor(sessions);
  // The byte bound must not evict before the entry bound does (values are counted at their JSON length).
  const script = buildApp();
  const snapshotDir = process.env['CHAOS_HEAP_SNAPSHOTS'] ? resolve(process.env['CHAOS_HEAP_SNAPSHOTS']) : undefined;
  if (snapshotDir) mkdirSync(snapshotDir, { recursive: true });
  const snapshotEnv: Record<string, string> = snapshotDir ? { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}` } : {};
  const server = await env.startOurs({ CACHE_L1_MAX_ENTRIES: String(l1MaxEntries), CACHE_L1_MAX_BYTES: String(1024 ** 3), ...snapshotEnv }, { script });
  const snapshot = async () => {
    if (snapshotDir && server.pid) await heapSnapshot(server.pid, snapshotDir);
  };
  try {
    // Warm the code paths first so "before" is a running server, not a cold one.
    for (let i = 0; i < 50; i++) await (await fetch(`${server.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${env.users[i % env.users.length].token}` } })).arrayBuffer();
    const [rssBeforeMb, heapBeforeMb] = await Promise.all([rssMb(server.pid), heapUsedMb(server.url)]);
    await snapshot();
    let answered = 0;
    const notAnswered: Record<string, number> = {};
    const touch = async (slice: string[]) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < slice.length) {
            const outcome = await readSession(server.url, slice[next++]);
            if (outcome === 'answered') answered++;
            else notAnswered[outcome] = (notAnswered[outcome] ?? 0) + 1;
          }
        }),
      );
    };
    const half = Math.floor(tokens.length / 2);
    const started = performance.now();
    await touch(tokens.slice(0, half));
    const answeredAtHalf = answered;
    const [rssHalfMb, heapHalfMb] = await Promise.all([rssMb(server.pid), heapUsedMb(server.url)]);
    await touch(tokens.slice(half));
    const touchS = Math.round((performance.now() - started) / 100) / 10;
    const [rssAfterMb, heapAfterMb] = await Promise.all([rssMb(server.pid), heapUsedMb(server.url)]);
    await snapshot();
    return {
      server: 'ours',
      script,
      sessions: tokens.length,
      answered,
      notAnswered,
      rssBeforeMb,
      rssHalfMb,
      rssAfterMb,
      heapBeforeMb,
      heapHalfMb,
      heapAfterMb,
      touchS,
      l1MaxEntries,
      rssBytesPerSession: perSession(rssBeforeMb, rssAfterMb, answered),
      rssBytesPerSessionSecondHalf: perSession(rssHalfMb, rssAfterMb, answered - answeredAtHalf),
      heapBytesPerSessionSecondHalf: perSession(heapHalfMb, heapAfterMb, answered - answeredAtHalf),
    };
  } finally {
    await env.stop(server);
    await env.query(`DELETE FROM "UserSession" WHERE id LIKE $1`, [`${prefix}-%`]).catch(() => undefined);
  }
}

/** One get-session by bearer token: `answered` (200 with the user) or what happened instead. */
async function readSession(baseUrl: string, token: string): Promise<string> {
  try {
    const r = await fetch(`${baseUrl}/api/auth/get-session`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    const body = (await r.json().catch(() => null)) as { user?: { id?: string } } | null;
    if (r.status === 200 && body?.user?.id) return 'answered';
    return r.status === 200 ? 'status 200 without user' : `status ${r.status}`;
  } catch (error) {
    return error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : `error ${error instanceof Error ? error.name : 'unknown'}`;
  }
}

/**
 * `CHAOS_HEAP_SNAPSHOTS=<dir>`: a heap snapshot of the server (SIGUSR2, `--heapsnapshot-signal`)
 * into `dir`, waiting until the new file is complete (its size stops changing), for
 * `tools/chaos/heapSummary.ts`.
 */
async function heapSnapshot(pid: number, dir: string, timeoutMs = 300_000): Promise<void> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  let lastSize = -1;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1_000));
    const file = readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    if (!file) continue;
    const size = statSync(resolve(dir, file)).size;
    if (size > 0 && size === lastSize) return void console.log(`heap snapshot: ${resolve(dir, file)}`);
    lastSize = size;
  }
  throw new Error(`no complete heap snapshot in ${dir} within ${timeoutMs} ms`);
}
