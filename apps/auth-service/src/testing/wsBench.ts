/**
 * The measuring half of `npm run bench -- ws` (tools/bench/ws.bench.ts forks this file with tsx
 * so the bench never imports app code): a bare `ws` server and two app instances (one Postgres,
 * one Redis, the harness IdP) in this process, measured side by side. Replies with the figures
 * over IPC. Clients run in this process too: their cost is the same for both servers.
 */
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';
import { startHarnessServices, stopHarnessServices } from '@tools/test-harness';
import { signedInUser } from './sessionFixtures';
import { signInThroughIdp, startAppsWithIdp } from './oidcApps';
import { openSocket, type TestSocket } from './wsClient';

const SOCKETS = Number(process.env.WS_BENCH_SOCKETS ?? 500);
const UPGRADES = Number(process.env.WS_BENCH_UPGRADES ?? 300);
const FANOUT_ROUNDS = Number(process.env.WS_BENCH_FANOUT_ROUNDS ?? 30);
const REFRESH_SOCKETS = 200;
const OPS_PER_SOCKET = Number(process.env.WS_BENCH_OPS_PER_SOCKET ?? 500);

const pct = (values: number[], p: number) => [...values].sort((x, y) => x - y)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setImmediate(r));
  }
};
const closeAll = async (sockets: TestSocket[]) => {
  for (const s of sockets) s.socket.close();
  await Promise.all(sockets.map((s) => s.closed));
};

/** Opens `count` sockets (16 at a time) and reports the RSS delta per socket while they are held. */
async function held(url: string, headers: Record<string, string>, count: number): Promise<{ sockets: TestSocket[]; rssPerSocketBytes: number; heapPerSocketBytes: number }> {
  await settle();
  const before = process.memoryUsage();
  const sockets: TestSocket[] = [];
  while (sockets.length < count) sockets.push(...(await Promise.all(Array.from({ length: Math.min(16, count - sockets.length) }, () => openSocket(url, headers)))));
  await settle();
  const after = process.memoryUsage();
  return { sockets, rssPerSocketBytes: (after.rss - before.rss) / count, heapPerSocketBytes: (after.heapUsed - before.heapUsed) / count };
}

/** Upgrades per second: `count` open + welcome + close, 8 concurrent. */
async function upgradesPerSecond(url: string, headers: Record<string, string>, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next++ < count) {
        const s = await openSocket(url, headers);
        s.socket.close();
        await s.closed;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

interface OperationFigures {
  opsPerS: number;
  p50: number;
  p99: number;
  /** Refusals while each socket kept at most `window` (under the cap) in flight: 0 expected. */
  refusedUnderCap: number;
  /** A burst of `burst` requests per socket at once: how many were refused (`TOO_MANY_OPERATIONS`). */
  burst: { sent: number; refused: number };
}

/**
 * `/ws` operations: `sockets` sockets each keep `window` `ping` requests in flight until each has
 * `perSocket` answers (operations/s, latency p50 / p99 in ms, refusals); then every socket sends a
 * burst of `burst` requests at once and the `TOO_MANY_OPERATIONS` answers are counted.
 */
async function operations(url: string, headers: Record<string, string>, o: { sockets: number; perSocket: number; window: number; burst: number }): Promise<OperationFigures> {
  const sockets = await Promise.all(Array.from({ length: o.sockets }, () => openSocket(url, headers)));
  const latencies: number[] = [];
  let refusedUnderCap = 0;
  let burstRefused = 0;
  const run = (s: TestSocket, count: number, window: number, onAnswer: (answer: { type: string; error?: { code: string } }) => void) =>
    new Promise<void>((resolve) => {
      const sentAt = new Map<number, number>();
      let sent = 0;
      let answered = 0;
      const sendOne = () => {
        const id = ++sent;
        sentAt.set(id, performance.now());
        s.socket.send(`{"id":${id},"op":"ping"}`);
      };
      const onMessage = (raw: WebSocket.RawData) => {
        const answer = JSON.parse(String(raw)) as { type: string; id?: number; error?: { code: string } };
        if (answer.type !== 'result' && answer.type !== 'error') return;
        latencies.push(performance.now() - (sentAt.get(answer.id!) ?? 0));
        onAnswer(answer);
        if (++answered === count) {
          s.socket.off('message', onMessage);
          return resolve();
        }
        if (sent < count) sendOne();
      };
      s.socket.on('message', onMessage);
      while (sent < Math.min(window, count)) sendOne();
    });
  const started = performance.now();
  await Promise.all(sockets.map((s) => run(s, o.perSocket, o.window, (a) => (a.type === 'error' ? refusedUnderCap++ : undefined))));
  const elapsed = performance.now() - started;
  const steady = [...latencies];
  await Promise.all(sockets.map((s) => run(s, o.burst, o.burst, (a) => (a.error?.code === 'TOO_MANY_OPERATIONS' ? burstRefused++ : undefined))));
  await closeAll(sockets);
  return { opsPerS: (o.sockets * o.perSocket) / (elapsed / 1000), p50: pct(steady, 50), p99: pct(steady, 99), refusedUnderCap, burst: { sent: o.sockets * o.burst, refused: burstRefused } };
}

async function main(): Promise<void> {
  await startHarnessServices();
  const env = await startAppsWithIdp({
    instances: 2,
    accessTokenTtlS: 40,
    env: { LOG_LEVEL: 'warn', WS_MAX_CONNECTIONS_PER_USER: String(Math.max(SOCKETS, REFRESH_SOCKETS) + 10), WS_REFRESH_SKEW_MS: '36000', WS_HEARTBEAT_MS: '30000' },
  });
  const bare = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  bare.on('connection', (socket: WebSocket) => {
    socket.send(JSON.stringify({ type: 'welcome', data: {}, ts: Date.now() }));
    // The operations baseline: every request answered with a result at once.
    socket.on('message', (raw) => socket.send(JSON.stringify({ type: 'result', id: (JSON.parse(String(raw)) as { id: unknown }).id, data: { pong: true } })));
  });
  await new Promise((r) => bare.once('listening', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as { port: number }).port}`;
  try {
    const [a, b] = env.apps;
    const user = await signedInUser(a, 'ws-bench');
    const headers = { cookie: user.cookie };
    // Warm both paths, then measure bare and ours alternately (two rounds each).
    await upgradesPerSecond(bareUrl, {}, 30);
    await upgradesPerSecond(a.url, headers, 30);
    const memory = { bare: [] as number[], ours: [] as number[], bareHeap: [] as number[], oursHeap: [] as number[] };
    const rate = { bare: [] as number[], ours: [] as number[] };
    for (let round = 0; round < 2; round++) {
      for (const [name, url, h] of [['bare', bareUrl, {}], ['ours', a.url, headers]] as const) {
        const m = await held(url, h, SOCKETS);
        memory[name].push(m.rssPerSocketBytes);
        memory[`${name}Heap`].push(m.heapPerSocketBytes);
        await closeAll(m.sockets);
        rate[name].push(await upgradesPerSecond(url, h, UPGRADES));
      }
    }
    // Operations: 16 sockets × 4 in flight (the cap is WS_MAX_OPERATIONS_PER_CONNECTION, 8), then bursts of 16.
    const ops = { bare: [] as OperationFigures[], ours: [] as OperationFigures[] };
    const opsShape = { sockets: 16, perSocket: OPS_PER_SOCKET, window: 4, burst: 16 };
    for (let round = 0; round < 2; round++) {
      ops.bare.push(await operations(bareUrl, {}, opsShape));
      ops.ours.push(await operations(a.url, headers, opsShape));
    }
    // Revocation fan-out: the session ends on A; latency until all its sockets on B are closed.
    const fanout: number[] = [];
    for (let round = 0; round < FANOUT_ROUNDS; round++) {
      const u = await signedInUser(a, `ws-fan-${round}`);
      const onB = await Promise.all(Array.from({ length: 4 }, () => openSocket(b.url, { cookie: u.cookie })));
      const started = performance.now();
      await a.context.repositories.sessions.endAllForUser(u.id, { reason: 'revoked' });
      await Promise.all(onB.map((s) => s.closed));
      fanout.push(performance.now() - started);
    }
    // IdP refreshes: 200 sockets of one IdP session over both instances, two token lifetimes.
    const browser = await signInThroughIdp(a, 'erin');
    const cookie = browser.cookieHeader(a.url);
    const before = (await env.idp.counts()).refresh_token;
    const sockets: TestSocket[] = [];
    while (sockets.length < REFRESH_SOCKETS) sockets.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => openSocket(i % 2 ? b.url : a.url, { cookie })))));
    const refreshedTwice = (s: TestSocket) =>
      new Promise<void>((resolve) => {
        const check = () => (s.messages.filter((m) => m.type === 'token_refreshed').length >= 2 ? resolve() : undefined);
        s.socket.on('message', () => setImmediate(check));
        check();
      });
    await Promise.all(sockets.map(refreshedTwice));
    const counts = await env.idp.counts();
    await closeAll(sockets);
    process.send?.({
      sockets: SOCKETS,
      upgrades: UPGRADES,
      memory,
      rate,
      ops: { shape: opsShape, ...ops },
      fanout: { rounds: FANOUT_ROUNDS, socketsPerRound: 4, p50: pct(fanout, 50), p99: pct(fanout, 99), max: Math.max(...fanout) },
      refresh: { sockets: REFRESH_SOCKETS, lifetimes: 2, idpRefreshCalls: counts.refresh_token - before, errors: counts.refresh_token_errors },
    });
  } finally {
    bare.close();
    await env.close();
    await stopHarnessServices();
  }
}

main().catch((error) => {
  process.send?.({ error: String(error?.stack ?? error) });
  process.exitCode = 1;
});
