import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Agent } from 'undici';
import { percentile, round } from '../../bench/auth/stats';
import type { ChaosEnvironment } from '../environment';
import { openLoad, type LoadTarget, type Sample } from '../openLoad';
import { getSessionTarget, signInTarget } from '../targets';

export interface CredentialFloodTimeline {
  /** Each phase (quiet, then flood) lasts this long. @default 10_000 */
  phaseMs: number;
  /** Random credentials per second during the flood, half API keys, half bearer tokens. @default 2_000 */
  floodRate: number;
}

export const CREDENTIAL_FLOOD_TIMELINE: CredentialFloodTimeline = { phaseMs: 10_000, floodRate: 2_000 };

/** The flood comes from its own loopback address: the per-address limit applies to it, not to the legitimate clients. */
const FLOOD_ADDRESS = '127.0.0.2';

export interface CredentialFloodRun {
  server: 'ours';
  floodRate: number;
  phaseMs: number;
  /** Any breaker open in a /metrics scrape (every 500 ms) during the flood or right after. */
  breakerOpened: boolean;
  openBreakers: string[];
  flood: Record<string, Record<string, number>>;
  legit: Record<string, { quietP99Ms: number | null; floodP99Ms: number | null; p99RatioFloodVsQuiet: number | null; quietStatuses: Record<string, number>; floodStatuses: Record<string, number> }>;
  survived: boolean;
}

const counts = (samples: Sample[]) => {
  const out: Record<string, number> = {};
  for (const s of samples) out[String(s.status)] = (out[String(s.status)] ?? 0) + 1;
  return out;
};

function floodTargets(baseUrl: string, rate: number, dispatcher: Agent): LoadTarget[] {
  const init = (headers: Record<string, string>) => ({ headers, dispatcher }) as unknown as RequestInit;
  return [
    { name: 'flood-api-key', rate: rate / 2, request: () => ({ url: `${baseUrl}/api/admin/users/stats`, init: init({ 'x-api-key': `sk_${randomBytes(6).toString('hex')}_${randomBytes(16).toString('hex')}` }) }) },
    { name: 'flood-bearer', rate: rate / 2, request: () => ({ url: `${baseUrl}/api/auth/get-session`, init: init({ authorization: `Bearer ${randomBytes(24).toString('base64url')}` }) }) },
  ];
}

/** The breakers a /metrics scrape reports open. */
async function openBreakers(baseUrl: string): Promise<string[]> {
  const text = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.text(), () => '');
  return [...text.matchAll(/^\w*circuit_breaker_state\{([^}]*)\} 1$/gm)].filter((m) => /state="(open|isolated)"/.test(m[1])).map((m) => /breaker="([^"]+)"/.exec(m[1])?.[1] ?? m[1]);
}

/**
 * Unknown credentials at `floodRate`/s (random API keys on /api/admin/*, random bearer tokens on
 * get-session) beside legitimate get-session and sign-in traffic, after a quiet phase of the same
 * length on the same server: does any breaker open, and how much do the legitimate p99s move?
 */
export async function runCredentialFlood(env: ChaosEnvironment, timeline: CredentialFloodTimeline = CREDENTIAL_FLOOD_TIMELINE): Promise<CredentialFloodRun> {
  const { phaseMs, floodRate } = timeline;
  // AUTH_RATE_LIMIT stays off (the legitimate load exceeds the per-IP sign-in limit); the failed-credential limit is on.
  const server = await env.startOurs({ CREDENTIAL_FAILURE_LIMIT: '100' });
  // undici ignores `connect.localAddress` (measured: the server saw 127.0.0.1); a connector of our own binds it.
  const dispatcher = new Agent({
    connections: 64,
    connect: (opts, callback) => {
      const socket = connect({ host: opts.hostname, port: Number(opts.port), localAddress: FLOOD_ADDRESS });
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (error) => callback(error, null));
    },
  });
  try {
    const users = env.users;
    for (const user of users) await (await fetch(`${server.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${user.token}` } })).arrayBuffer();
    const legit = () => [getSessionTarget(server.url, users, 20), signInTarget(server.url, users, 2)];
    const quiet = await openLoad(legit(), { durationMs: phaseMs });
    const seen = new Set<string>();
    let scraping = true;
    const scraper = (async () => {
      while (scraping) {
        for (const key of await openBreakers(server.url)) seen.add(key);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    const flood = await openLoad([...legit(), ...floodTargets(server.url, floodRate, dispatcher)], { durationMs: phaseMs });
    scraping = false;
    await scraper;
    for (const key of await openBreakers(server.url)) seen.add(key);
    const legitFigures: CredentialFloodRun['legit'] = {};
    for (const name of ['get-session', 'sign-in']) {
      const q = quiet.samples.filter((s) => s.target === name);
      const f = flood.samples.filter((s) => s.target === name);
      const quietP99 = round(percentile(q.map((s) => s.ms), 99), 1);
      const floodP99 = round(percentile(f.map((s) => s.ms), 99), 1);
      legitFigures[name] = { quietP99Ms: quietP99, floodP99Ms: floodP99, p99RatioFloodVsQuiet: quietP99 && floodP99 !== null ? round(floodP99 / quietP99, 2) : null, quietStatuses: counts(q), floodStatuses: counts(f) };
    }
    const floodFigures: CredentialFloodRun['flood'] = {};
    for (const name of ['flood-api-key', 'flood-bearer']) floodFigures[name] = counts(flood.samples.filter((s) => s.target === name));
    const survived = await fetch(`${server.url}/health/live`).then((r) => r.status === 200).catch(() => false);
    return { server: 'ours', floodRate, phaseMs, breakerOpened: seen.size > 0, openBreakers: [...seen], flood: floodFigures, legit: legitFigures, survived };
  } finally {
    await dispatcher.close().catch(() => undefined);
    await env.stop(server);
  }
}
