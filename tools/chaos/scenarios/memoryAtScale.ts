import { randomBytes } from 'node:crypto';
import type { ChaosEnvironment } from '../environment';
import { heapUsedMb, rssMb } from '../processStats';

export interface MemoryAtScaleRun {
  server: 'ours';
  sessions: number;
  /** Sessions that get-session answered with their user (touched, so cached in L1 up to its capacity). */
  answered: number;
  rssBeforeMb: number | null;
  rssAfterMb: number | null;
  heapBeforeMb: number | null;
  heapAfterMb: number | null;
  /** Touching every session, seconds. */
  touchS: number;
  /** The L1 bound the server ran with (CACHE_L1_MAX_ENTRIES): room for every session and its user. */
  l1MaxEntries: number;
  /** (RSS after − RSS before) ÷ sessions answered: what one live cached session costs. */
  rssBytesPerSession: number | null;
}

/** L1 room per session: the session row, plus headroom for users, keys and roles. */
const l1EntriesFor = (sessions: number) => Math.ceil(sessions * 1.1) + 1_000;

/**
 * Scenario 8: `CHAOS_SESSIONS` (default 100,000) live sessions inserted by SQL into the runner's
 * database (spread over the seeded users, expiring in a week), each then read once through
 * /api/auth/get-session so it is cached; RSS and heap of our server before and after.
 */
export async function runMemoryAtScale(env: ChaosEnvironment, sessions = Number(process.env['CHAOS_SESSIONS'] ?? 100_000), concurrency = 16): Promise<MemoryAtScaleRun> {
  const prefix = `mem${randomBytes(6).toString('hex')}`;
  await env.query(
    `INSERT INTO "UserSession" (id, token, "userId", "expiresAt", "createdAt", "updatedAt", "lastAccessedAt")
     SELECT $1 || '-' || g, $1 || md5($1 || g::text), u.ids[1 + g % array_length(u.ids, 1)], now() + interval '7 days', now(), now(), now()
     FROM generate_series(1, $2::int) g, (SELECT array_agg(id) AS ids FROM "User" WHERE email LIKE 'bench-user-%') u`,
    [prefix, sessions],
  );
  const tokens = (await env.query<{ token: string }>(`SELECT token FROM "UserSession" WHERE id LIKE $1 ORDER BY id`, [`${prefix}-%`])).map((r) => r.token);
  const l1MaxEntries = l1EntriesFor(sessions);
  // The byte bound must not evict before the entry bound does (values are counted at their JSON length).
  const server = await env.startOurs({ CACHE_L1_MAX_ENTRIES: String(l1MaxEntries), CACHE_L1_MAX_BYTES: String(1024 ** 3) });
  try {
    // Warm the code paths first so "before" is a running server, not a cold one.
    for (let i = 0; i < 50; i++) await (await fetch(`${server.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${env.users[i % env.users.length].token}` } })).arrayBuffer();
    const [rssBeforeMb, heapBeforeMb] = await Promise.all([rssMb(server.pid), heapUsedMb(server.url)]);
    let next = 0;
    let answered = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < tokens.length) {
          const token = tokens[next++];
          try {
            const r = await fetch(`${server.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
            const body = (await r.json()) as { user?: { id?: string } } | null;
            if (r.status === 200 && body?.user?.id) answered++;
          } catch {
            // counted as not answered
          }
        }
      }),
    );
    const touchS = Math.round((performance.now() - started) / 100) / 10;
    const [rssAfterMb, heapAfterMb] = await Promise.all([rssMb(server.pid), heapUsedMb(server.url)]);
    const rssBytesPerSession = rssBeforeMb !== null && rssAfterMb !== null && answered > 0 ? Math.round(((rssAfterMb - rssBeforeMb) * 1024 * 1024) / answered) : null;
    return { server: 'ours', sessions: tokens.length, answered, rssBeforeMb, rssAfterMb, heapBeforeMb, heapAfterMb, touchS, l1MaxEntries, rssBytesPerSession };
  } finally {
    await env.stop(server);
    await env.query(`DELETE FROM "UserSession" WHERE id LIKE $1`, [`${prefix}-%`]).catch(() => undefined);
  }
}
