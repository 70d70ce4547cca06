import { percentile, round } from '../../bench/auth/stats';
import type { ChaosEnvironment } from '../environment';
import { openLoad } from '../openLoad';
import { establishedOnPort, fdKinds, openFds, rssMb, type FdKinds, type ProcessSample } from '../processStats';
import { getSessionTarget, signInTarget } from '../targets';

export interface SoakRun {
  server: 'ours';
  durationS: number;
  /** get-session answers per second of a 5 s closed-loop burst (16 clients), and the soak rate (half). */
  measuredMaxRps: number;
  rate: number;
  sent: number;
  failed: number;
  /** Every 10 s: RSS, open file descriptors, and the database's connections from the server. */
  samples: (ProcessSample & { dbConnections: number | null; fdKinds: FdKinds | null; httpConnections: number | null })[];
  rssFirstMb: number | null;
  rssLastMb: number | null;
  fdsFirst: number | null;
  fdsLast: number | null;
  dbConnectionsMax: number | null;
  /** p99 of get-session in the first and last window (a minute, or a third of a shorter run). */
  windowS: number;
  p99FirstMs: number | null;
  p99LastMs: number | null;
}

async function closedLoopRps(url: string, token: string, clients: number, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        await r.arrayBuffer();
        if (r.status === 200) done++;
      }
    }),
  );
  return done / (ms / 1_000);
}

/**
 * Scenario 7: a soak at half the measured maximum get-session rate (plus sign-in at 2/s), for
 * `CHAOS_SOAK_SECONDS` (default 600): RSS, open file descriptors and Postgres connections every
 * 10 s, p99 of the first vs the last window. The maximum is measured by this runner on the same
 * machine, so it is the client's and server's maximum together.
 */
export async function runSoak(env: ChaosEnvironment, durationS = Number(process.env['CHAOS_SOAK_SECONDS'] ?? 600), maxRate = 300): Promise<SoakRun> {
  const server = await env.startOurs();
  try {
    const url = `${server.url}/api/auth/get-session`;
    await closedLoopRps(url, env.users[0].token, 4, 1_000);
    const measuredMaxRps = Math.round(await closedLoopRps(url, env.users[0].token, 16, 5_000));
    const rate = Math.max(10, Math.min(maxRate, Math.floor(measuredMaxRps / 2)));
    const samples: SoakRun['samples'] = [];
    const started = performance.now();
    const sample = async () => {
      const rows = await env.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).catch(() => null);
      samples.push({
        atS: round((performance.now() - started) / 1_000, 0) ?? 0,
        rssMb: await rssMb(server.pid),
        openFds: await openFds(server.pid),
        fdKinds: await fdKinds(server.pid),
        httpConnections: await establishedOnPort(server.port),
        dbConnections: rows ? Number(rows[0].n) : null,
      });
    };
    await sample();
    const timer = setInterval(() => void sample(), 10_000);
    let result;
    try {
      result = await openLoad([getSessionTarget(server.url, env.users, rate), signInTarget(server.url, env.users, 2)], { durationMs: durationS * 1_000 });
    } finally {
      clearInterval(timer);
    }
    await sample();
    const windowS = Math.min(60, Math.floor(durationS / 3));
    const gs = result.samples.filter((s) => s.target === 'get-session');
    const endMs = durationS * 1_000;
    const p99 = (from: number, to: number) => round(percentile(gs.filter((s) => s.sentMs >= from && s.sentMs < to).map((s) => s.ms), 99), 1);
    const first = samples[0];
    const last = samples[samples.length - 1];
    const conns = samples.map((s) => s.dbConnections).filter((n): n is number => n !== null);
    return {
      server: 'ours',
      durationS,
      measuredMaxRps,
      rate,
      sent: result.samples.length,
      failed: result.samples.filter((s) => s.status !== 200).length,
      samples,
      rssFirstMb: first.rssMb,
      rssLastMb: last.rssMb,
      fdsFirst: first.openFds,
      fdsLast: last.openFds,
      dbConnectionsMax: conns.length ? Math.max(...conns) : null,
      windowS,
      p99FirstMs: p99(0, windowS * 1_000),
      p99LastMs: p99(endMs - windowS * 1_000, endMs),
    };
  } finally {
    await env.stop(server);
  }
}
