import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '@libs/database';
import { startPatroniCluster, waitFor, withDatabase } from '@tools/test-harness';
import { jsonPostHeaders, seedUsers, type BenchUser } from '../../bench/auth/seed';
import { round } from '../../bench/auth/stats';
import { buildApp } from '../builtApp';
import type { ChaosEnvironment } from '../environment';
import { openLoad, type Sample } from '../openLoad';
import { createKeys, getSessionTarget, keyVerifyTarget, signInTarget } from '../targets';
import { writeRecorder, writeSetCheck, type WriteSetCheck } from '../writeRecorder';

/** Load from 0, the primary's postmaster SIGKILLed at `killMs`; `durationMs` in all. */
export const FAILOVER_TIMELINE = { killMs: 5_000, durationMs: 30_000 } as const;

/** Per second. Sign-in and sign-up are an scrypt hash each; bans are one per victim. */
const RATES = { getSession: 40, signIn: 2, signUp: 4, keyVerify: 20, ban: 0.5 } as const;

/** Seeded users: get-session readers (and key owners), sign-in users (a sign-in evicts its user from the cache), ban victims. */
const USERS = { readers: 12, signers: 6, victims: Math.ceil((FAILOVER_TIMELINE.durationMs / 1_000) * RATES.ban) } as const;

export interface PostgresFailoverRun {
  mode: 'async' | 'sync';
  /** Patroni members (Postgres nodes) of the cluster. */
  members: 2 | 3;
  /** Which member was the primary and which took over. */
  oldPrimary: string;
  newPrimary: string | null;
  /** From the kill until Patroni's new leader was behind HAProxy's write port. */
  promotedMs: number | null;
  /** From the kill to the first acknowledged write (sign-up or ban) sent after it. */
  firstWriteMs: number | null;
  /** From the kill until every later answer, of every target, was 200 (null: it never settled). */
  allOkMs: number | null;
  /** Answers by status per target, for requests sent from the kill until `allOkMs` (or the end). */
  duringSwitch: Record<string, Record<string, number>>;
  /** 401s and 5xx other than 503 after the kill. */
  wrongAnswers: number;
  signUps: WriteSetCheck;
  bans: WriteSetCheck;
  /** The old primary back as a streaming replica of the new one, from the kill (null: not within 60 s). */
  rejoinedMs: number | null;
  /** Its Patroni ran pg_rewind (needed only when its WAL had diverged from the new primary's). */
  rewound: boolean;
  /** Queried on its own port: in recovery and holding every acknowledged sign-up. */
  oldPrimaryServesReads: boolean;
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}


/** From the kill until every later answer was 200, ms; 0 when nothing failed, null when the last answers still failed. */
export function allOkAfter(samples: Sample[], killMs: number): number | null {
  const after = samples.filter((s) => s.sentMs >= killMs);
  const failures = after.filter((s) => s.status !== 200).map((s) => s.sentMs + s.ms);
  if (!failures.length) return 0;
  const last = Math.max(...failures);
  return after.some((s) => s.status === 200 && s.sentMs > last) ? round(last - killMs, 0) : null;
}

/**
 * Scenario: our server (the built app) on a 2- or 3-member (`members`) Patroni cluster behind HAProxy
 * (`DATABASE_URL` the write port, `DATABASE_REPLICA_URLS` the read port), open-model load on
 * get-session, key verify, sign-in, sign-up and admin bans; the primary's postmaster SIGKILLed at
 * 5 s. Reports when writes work again, when every answer is 200 again, the answers in between, a
 * set check of the acknowledged sign-ups and bans, and how the old primary came back.
 */
export async function runPostgresFailover(env: ChaosEnvironment, mode: 'async' | 'sync', members: 2 | 3 = 2): Promise<PostgresFailoverRun> {
  const script = buildApp();
  const cluster = await startPatroniCluster({ nodes: members, synchronous: mode === 'sync' });
  try {
    await query(cluster.writeUrl, 'CREATE DATABASE chaos');
    const databaseUrl = withDatabase(cluster.writeUrl, 'chaos');
    await migrate(databaseUrl);
    // Seeded through stock Better-Auth as the other scenarios are (its bearer tokens are valid on ours: same secret).
    const seeder = await env.startStock({ DATABASE_URL: databaseUrl });
    let users: BenchUser[];
    try {
      users = await seedUsers(seeder.url, USERS.readers + USERS.signers + USERS.victims, 4);
    } finally {
      await env.stop(seeder);
    }
    const [readers, signers, victims] = [users.slice(0, USERS.readers), users.slice(USERS.readers, USERS.readers + USERS.signers), users.slice(USERS.readers + USERS.signers)];
    // The admin is made by the app's own bootstrap (a seeded, unverified account would be refused).
    const admin = { email: `admin-${Date.now()}@chaos.local`, password: `Chaos-${randomBytes(9).toString('base64url')}`, token: '' };
    const server = await env.startOurs({ DATABASE_URL: databaseUrl, DATABASE_REPLICA_URLS: withDatabase(cluster.readUrl, 'chaos'), BOOTSTRAP_ADMIN_EMAIL: admin.email, BOOTSTRAP_ADMIN_PASSWORD: admin.password }, { script });
    try {
      await waitFor(async () => {
        if (!admin.token) {
          const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, { method: 'POST', headers: jsonPostHeaders(server.url), body: JSON.stringify({ email: admin.email, password: admin.password }) });
          const body = (await signIn.json()) as { token?: string };
          if (signIn.status !== 200 || !body.token) throw new Error(`admin sign-in answered ${signIn.status}`);
          admin.token = body.token;
        }
        const status = (await fetch(`${server.url}/api/admin/users/stats`, { headers: { authorization: `Bearer ${admin.token}` } })).status;
        if (status !== 200) throw new Error(`admin route answered ${status}`);
      }, 30_000, 'the bootstrap admin');
      const victimIds = new Map((await query<{ email: string; id: string }>(databaseUrl, 'SELECT "email", "id" FROM "User" WHERE "email" = ANY($1)', [victims.map((v) => v.email)])).map((r) => [r.email, r.id]));
      const keys = await createKeys(server.url, readers, 10);
      // Warm the cache: every session read once (a cached session answers get-session without Postgres).
      for (const reader of readers) await (await fetch(`${server.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${reader.token}` } })).arrayBuffer();

      const run = `${mode}-${Date.now()}`;
      const email = (i: number) => `failover-${run}-${i}@chaos.local`;
      const signUps = writeRecorder('sign-up', RATES.signUp, (i) => ({ url: `${server.url}/api/auth/sign-up/email`, init: { method: 'POST', headers: jsonPostHeaders(server.url), body: JSON.stringify({ email: email(i), password: 'chaos password 123', name: `failover ${i}` }) } }), email);
      const victimId = (i: number) => victimIds.get(victims[i % victims.length].email)!;
      const bans = writeRecorder(
        'ban',
        RATES.ban,
        (i) => ({ url: `${server.url}/api/admin/users/status`, init: { method: 'POST', headers: { ...jsonPostHeaders(server.url), authorization: `Bearer ${admin.token}` }, body: JSON.stringify({ userIds: [victimId(i)], status: 'BANNED', reason: 'chaos failover' }) } }),
        victimId,
      );
      const targets = [getSessionTarget(server.url, readers, RATES.getSession), keyVerifyTarget(server.url, keys, RATES.keyVerify), signInTarget(server.url, signers, RATES.signIn), signUps.target, bans.target];

      let oldPrimary = '';
      let newPrimary: string | null = null;
      let promotedMs: number | null = null;
      let killedAt = 0;
      let rejoined: Promise<number | null> = Promise.resolve(null);
      const { killMs, durationMs } = FAILOVER_TIMELINE;
      const result = await openLoad(targets, {
        durationMs,
        actions: [
          {
            atMs: killMs,
            label: 'kill',
            run: async () => {
              killedAt = performance.now();
              oldPrimary = await cluster.killPrimary();
              // Watched from the kill on, beside the load: when the old primary streams from the new one.
              const old = oldPrimary;
              rejoined = cluster.waitForReplica(old, 60_000).then(() => round(performance.now() - killedAt, 0), () => null);
              newPrimary = await cluster.waitForPrimary(oldPrimary, durationMs).catch(() => null);
              if (newPrimary) promotedMs = round(performance.now() - killedAt, 0);
            },
          },
        ],
      });
      const samples = result.samples;
      const firstWrite = samples.filter((s) => (s.target === 'sign-up' || s.target === 'ban') && s.sentMs >= killMs && s.status === 200).map((s) => s.sentMs + s.ms - killMs);
      const allOkMs = allOkAfter(samples, killMs);
      const until = allOkMs === null ? durationMs : killMs + allOkMs;
      const duringSwitch: Record<string, Record<string, number>> = {};
      for (const s of samples.filter((x) => x.sentMs >= killMs && x.sentMs <= until)) {
        const counts = (duringSwitch[s.target] ??= {});
        counts[String(s.status)] = (counts[String(s.status)] ?? 0) + 1;
      }
      const wrongAnswers = samples.filter((s) => s.sentMs >= killMs && (s.status === 401 || (s.status >= 500 && s.status !== 503))).length;

      // The set checks, on the new primary.
      const present = await query<{ email: string; n: number }>(databaseUrl, 'SELECT "email", count(*)::int AS n FROM "User" WHERE "email" = ANY($1) GROUP BY "email"', [signUps.attempted]);
      const signUpCheck = writeSetCheck(signUps.attempted, signUps.acknowledged, new Map(present.map((r) => [r.email, r.n])), signUps.statuses);
      const banned = await query<{ id: string }>(databaseUrl, `SELECT "id" FROM "User" WHERE "id" = ANY($1) AND "status" = 'BANNED'`, [bans.attempted]);
      const banCheck = writeSetCheck(bans.attempted, bans.acknowledged, new Map(banned.map((r) => [r.id, 1])), bans.statuses);

      // The old primary: back as a replica, rewound or not, serving reads of what was acknowledged.
      const rejoinedMs = await rejoined;
      const oldNode = cluster.nodes.find((n) => n.name === oldPrimary)!;
      const oldUrl = withDatabase(`postgresql://postgres:postgres@127.0.0.1:${oldNode.pgPort}/postgres`, 'chaos');
      let oldPrimaryServesReads = false;
      if (rejoinedMs !== null) {
        oldPrimaryServesReads = await waitFor(async () => {
          const [row] = await query<{ standby: boolean; n: number }>(oldUrl, 'SELECT pg_is_in_recovery() AS standby, count(*)::int AS n FROM "User" WHERE "email" = ANY($1)', [[...signUps.acknowledged]]);
          if (!row.standby || row.n !== signUps.acknowledged.size) throw new Error(JSON.stringify(row));
        }, 15_000, 'the acknowledged sign-ups on the old primary').then(() => true, () => false);
      }
      return {
        mode,
        members,
        oldPrimary,
        newPrimary,
        promotedMs,
        firstWriteMs: firstWrite.length ? round(Math.min(...firstWrite), 0) : null,
        allOkMs,
        duringSwitch,
        wrongAnswers,
        signUps: signUpCheck,
        bans: banCheck,
        rejoinedMs,
        rewound: /running pg_rewind from/.test(cluster.memberLog(oldPrimary)),
        oldPrimaryServesReads,
      };
    } finally {
      await env.stop(server);
    }
  } finally {
    await cluster.stop();
  }
}
