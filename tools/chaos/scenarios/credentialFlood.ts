import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Agent } from 'undici';
import { percentile, round } from '../../bench/auth/stats';
import { startCpuWindow, type CpuWindow } from '../cpuWindow';
import type { ChaosEnvironment } from '../environment';
import { floodLoad, type FloodTarget } from '../floodLoad';
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
  /** How the flood was sent: `lean` (floodLoad.ts: undici request, prebuilt, pipelined) or `fetch` (openLoad, one fetch per request). */
  floodClient: FloodClient;
  /** Flood requests sent, and per second over the phase (the offered rate must hold). */
  floodSent: number;
  floodSentPerS: number;
  /** Flood answers that carried Retry-After, per target. */
  floodRetryAfter: Record<string, number>;
  /** CPU of the server, of this process (every load generator) and of the machine, per phase. */
  cpu: { quiet: CpuWindow; flood: CpuWindow };
  /** (server CPU in the flood − in the quiet phase) ÷ flood requests sent. */
  serverCpuMsPerFloodRequest: number | null;
  /** (generator CPU in the flood − in the quiet phase) ÷ flood requests sent. */
  generatorCpuMsPerFloodRequest: number | null;
  /** The generator's share of the CPU the machine spent during the flood (this process ÷ all busy cores). */
  generatorShareOfBusyCpu: number | null;
}

export type FloodClient = 'lean' | 'fetch';

const counts = (samples: Sample[]) => {
  const out: Record<string, number> = {};
  for (const s of samples) out[String(s.status)] = (out[String(s.status)] ?? 0) + 1;
  return out;
};

const randomKey = () => `sk_${randomBytes(6).toString('hex')}_${randomBytes(16).toString('hex')}`;
const randomBearer = () => `Bearer ${randomBytes(24).toString('base64url')}`;

/** Random API keys on /api/admin/*, random bearer tokens on get-session, half the rate each. */
function floodPlan(rate: number): FloodTarget[] {
  return [
    { name: 'flood-api-key', rate: rate / 2, path: '/api/admin/users/stats', headers: () => ({ 'x-api-key': randomKey() }) },
    { name: 'flood-bearer', rate: rate / 2, path: '/api/auth/get-session', headers: () => ({ authorization: randomBearer() }) },
  ];
}

/** The same flood through openLoad (a fetch per request, built when sent): the generator the scenario used first. */
function fetchFloodTargets(baseUrl: string, rate: number, dispatcher: Agent): LoadTarget[] {
  return floodPlan(rate).map((target) => ({ name: target.name, rate: target.rate, request: (i: number) => ({ url: `${baseUrl}${target.path}`, init: { headers: target.headers(i), dispatcher } as unknown as RequestInit }) }));
}

/** An undici Agent whose sockets leave from `address` (undici ignores `connect.localAddress`). */
function boundAgent(address: string): Agent {
  return new Agent({
    connections: 64,
    connect: (opts, callback) => {
      const socket = connect({ host: opts.hostname, port: Number(opts.port), localAddress: address });
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (error) => callback(error, null));
    },
  });
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
  const floodClient: FloodClient = process.env['CHAOS_FLOOD_CLIENT'] === 'fetch' ? 'fetch' : 'lean';
  const dispatcher = boundAgent(FLOOD_ADDRESS);
  try {
    const users = env.users;
    for (const user of users) await (await fetch(`${server.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${user.token}` } })).arrayBuffer();
    const legit = () => [getSessionTarget(server.url, users, 20), signInTarget(server.url, users, 2)];
    const quietCpu = startCpuWindow(server.pid);
    const quiet = await openLoad(legit(), { durationMs: phaseMs });
    const quietWindow = quietCpu();
    const seen = new Set<string>();
    let scraping = true;
    const scraper = (async () => {
      while (scraping) {
        for (const key of await openBreakers(server.url)) seen.add(key);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    let floodStatuses: CredentialFloodRun['flood'];
    let floodSent: number;
    let floodRetryAfter: Record<string, number> = {};
    let floodCpu: () => CpuWindow;
    let flood: Awaited<ReturnType<typeof openLoad>>;
    if (floodClient === 'fetch') {
      floodCpu = startCpuWindow(server.pid);
      flood = await openLoad([...legit(), ...fetchFloodTargets(server.url, floodRate, dispatcher)], { durationMs: phaseMs });
      floodStatuses = {};
      for (const name of ['flood-api-key', 'flood-bearer']) floodStatuses[name] = counts(flood.samples.filter((s) => s.target === name));
      floodSent = flood.samples.filter((s) => s.target.startsWith('flood-')).length;
      for (const name of Object.keys(floodStatuses)) floodRetryAfter[name] = flood.samples.filter((s) => s.target === name && s.retryAfter).length;
    } else {
      // Built before the clock starts (20,000 header sets), so building them is not in the window.
      const plan = floodPlan(floodRate);
      const prebuilt = plan.map((target) => ({ ...target, requests: Array.from({ length: Math.floor((phaseMs / 1_000) * target.rate) }, (_, i) => target.headers(i)) }));
      floodCpu = startCpuWindow(server.pid);
      const [legitRun, floodRun] = await Promise.all([openLoad(legit(), { durationMs: phaseMs }), floodLoad(server.url, prebuilt.map((t) => ({ ...t, headers: (i: number) => t.requests[i] as Record<string, string> })), { durationMs: phaseMs, localAddress: FLOOD_ADDRESS })]);
      flood = legitRun;
      floodStatuses = floodRun.statuses;
      floodSent = floodRun.sent;
      floodRetryAfter = floodRun.retryAfter;
    }
    const floodWindow = floodCpu();
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
    const survived = await fetch(`${server.url}/health/live`).then((r) => r.status === 200).catch(() => false);
    const perFloodRequest = (ms: (w: CpuWindow) => number) => (floodSent ? round((ms(floodWindow) - ms(quietWindow)) / floodSent, 4) : null);
    const busyMs = floodWindow.machineBusy !== null && floodWindow.cores !== null ? floodWindow.machineBusy * floodWindow.cores * floodWindow.wallMs : null;
    return {
      server: 'ours',
      floodRate,
      phaseMs,
      breakerOpened: seen.size > 0,
      openBreakers: [...seen],
      flood: floodStatuses,
      legit: legitFigures,
      survived,
      floodClient,
      floodSent,
      floodSentPerS: round(floodSent / (phaseMs / 1_000), 0) ?? 0,
      floodRetryAfter,
      cpu: { quiet: quietWindow, flood: floodWindow },
      serverCpuMsPerFloodRequest: perFloodRequest((w) => w.serverMs),
      generatorCpuMsPerFloodRequest: perFloodRequest((w) => w.generatorMs),
      generatorShareOfBusyCpu: busyMs ? round(floodWindow.generatorMs / busyMs, 2) : null,
    };
  } finally {
    await dispatcher.close().catch(() => undefined);
    await env.stop(server);
  }
}
