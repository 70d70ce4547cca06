import { jsonPostHeaders } from '../../bench/auth/seed';
import type { ChaosEnvironment } from '../environment';
import { openLoad } from '../openLoad';
import { RATES } from '../targets';
import { writeRecorder, writeSetCheck, type WriteSetCheck } from '../writeRecorder';
import type { Timeline } from './postgresKill';

export const ACK_TIMELINE: Timeline = { killMs: 4_000, restartMs: 10_000, durationMs: 16_000 };

export interface AcknowledgedWritesRun {
  server: 'ours' | 'stock';
  signUps: WriteSetCheck;
  /** Ours only: API keys created through /api/auth/api-key/create. */
  keyCreations: WriteSetCheck | null;
}



/**
 * Scenario 3: sign-ups (and, on ours, API-key creations) at a fixed rate across a Postgres kill
 * and restart; afterwards every acknowledged write must be there exactly once, and the writes
 * whose fate the client could not know are listed.
 */
export async function runAcknowledgedWrites(env: ChaosEnvironment, server: 'ours' | 'stock', timeline: Timeline = ACK_TIMELINE): Promise<AcknowledgedWritesRun> {
  const process = server === 'ours' ? await env.startOurs() : await env.startStock();
  const run = `${server}-${Date.now()}`;
  try {
    const email = (i: number) => `ack-${run}-${i}@chaos.local`;
    const signUps = writeRecorder('sign-up', RATES.signUp, (i) => ({ url: `${process.url}/api/auth/sign-up/email`, init: { method: 'POST', headers: jsonPostHeaders(process.url), body: JSON.stringify({ email: email(i), password: 'chaos password 123', name: `ack ${i}` }) } }), email);
    const keyName = (i: number) => `ack-${run}-${i}`;
    const owner = env.users[1];
    const keys =
      server === 'ours'
        ? writeRecorder('key-create', RATES.keyCreate, (i) => ({ url: `${process.url}/api/auth/api-key/create`, init: { method: 'POST', headers: { ...jsonPostHeaders(process.url), authorization: `Bearer ${owner.token}` }, body: JSON.stringify({ name: keyName(i) }) } }), keyName)
        : null;
    const { killMs, restartMs, durationMs } = timeline;
    await openLoad([signUps.target, ...(keys ? [keys.target] : [])], {
      durationMs,
      actions: [
        { atMs: killMs, label: 'kill', run: () => env.killPostgres('immediate') },
        { atMs: restartMs, label: 'restart', run: () => env.pg.start() },
      ],
    });
    const users = await env.query<{ email: string; n: string }>('SELECT "email", count(*) AS n FROM "User" WHERE "email" = ANY($1) GROUP BY "email"', [signUps.attempted]);
    const signUpCheck = writeSetCheck(signUps.attempted, signUps.acknowledged, new Map(users.map((r) => [r.email, Number(r.n)])), signUps.statuses);
    let keyCheck: WriteSetCheck | null = null;
    if (keys) {
      const rows = await env.query<{ name: string; n: string }>('SELECT "name", count(*) AS n FROM "ApiKey" WHERE "name" = ANY($1) GROUP BY "name"', [keys.attempted]);
      keyCheck = writeSetCheck(keys.attempted, keys.acknowledged, new Map(rows.map((r) => [r.name, Number(r.n)])), keys.statuses);
    }
    return { server, signUps: signUpCheck, keyCreations: keyCheck };
  } finally {
    if (!env.pg.running) await env.pg.start();
    await env.stop(process);
  }
}
