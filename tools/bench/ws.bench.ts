/**
 * `npm run bench -- ws`: `/ws` of the app vs a bare `ws` server, side by side in one run —
 * sockets held and memory per socket, upgrades per second (authenticated vs bare), revocation
 * fan-out latency from instance A to sockets on instance B (one Postgres, one Redis), and IdP
 * refresh calls per session under 200 sockets. The measuring runs in a child process
 * (apps/auth-service/src/testing/wsBench.ts, with tsx and --expose-gc); this file only reports.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { median, writeReport } from './report';

interface WsFigures {
  error?: string;
  sockets: number;
  upgrades: number;
  memory: { bare: number[]; ours: number[]; bareHeap: number[]; oursHeap: number[] };
  rate: { bare: number[]; ours: number[] };
  ops: { shape: { sockets: number; perSocket: number; window: number; burst: number }; bare: OpsFigures[]; ours: OpsFigures[] };
  fanout: { rounds: number; socketsPerRound: number; p50: number; p99: number; max: number };
  refresh: { sockets: number; lifetimes: number; idpRefreshCalls: number; errors: number };
}

interface OpsFigures {
  opsPerS: number;
  p50: number;
  p99: number;
  refusedUnderCap: number;
  burst: { sent: number; refused: number };
}

const ROOT = join(__dirname, '..', '..');
/** The WebSocket targets: heap per held socket at most 1.3× a bare `ws` server's, authenticated upgrades at least 0.9× its rate. */
const TARGETS = { heapPerSocketVsBare: 1.3, upgradesVsBare: 0.9 };

function measure(): Promise<WsFigures> {
  const child = fork(join(ROOT, 'apps/auth-service/src/testing/wsBench.ts'), [], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test' }, execArgv: ['--expose-gc', '--import', 'tsx'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error('ws bench: no figures within 240 s'));
    }, 240_000);
    child.once('message', (figures) => {
      clearTimeout(deadline);
      const f = figures as WsFigures;
      if (f.error) reject(new Error(f.error));
      else resolve(f);
    });
    child.once('exit', (code) => {
      clearTimeout(deadline);
      reject(new Error(`ws bench child exited (${code}) without figures`));
    });
  });
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

export async function run(): Promise<void> {
  const f = await measure();
  const oursRss = median(f.memory.ours);
  const bareRss = median(f.memory.bare);
  const oursRate = median(f.rate.ours);
  const bareRate = median(f.rate.bare);
  const perLifetime = f.refresh.idpRefreshCalls / f.refresh.lifetimes;
  const oursHeap = median(f.memory.oursHeap);
  const bareHeap = median(f.memory.bareHeap);
  const heapRatio = bareHeap > 0 ? round(oursHeap / bareHeap, 3) : null;
  const upgradeRatio = round(oursRate / bareRate, 3);
  const opsOf = (list: OpsFigures[]) => ({ opsPerS: median(list.map((o) => o.opsPerS)), p50: median(list.map((o) => o.p50)), p99: median(list.map((o) => o.p99)), refusedUnderCap: list.reduce((n, o) => n + o.refusedUnderCap, 0), burstRefused: list.reduce((n, o) => n + o.burst.refused, 0), burstSent: list.reduce((n, o) => n + o.burst.sent, 0) });
  const opsOurs = opsOf(f.ops.ours);
  const opsBare = opsOf(f.ops.bare);
  const metrics = {
    config: { socketsHeld: f.sockets, upgradesPerRound: f.upgrades, rounds: f.rate.ours.length, fanoutRounds: f.fanout.rounds, refreshSockets: f.refresh.sockets },
    raw: f,
    rss_per_socket_bytes_ours: round(oursRss, 0),
    rss_per_socket_bytes_bare: round(bareRss, 0),
    heap_per_socket_bytes_ours: round(oursHeap, 0),
    heap_per_socket_bytes_bare: round(bareHeap, 0),
    upgrades_per_s_ours: round(oursRate),
    upgrades_per_s_bare: round(bareRate),
    revocation_fanout_p50_ms: round(f.fanout.p50),
    revocation_fanout_p99_ms: round(f.fanout.p99),
    idp_refresh_calls_per_session_per_lifetime: perLifetime,
    operations_per_s_ours: round(opsOurs.opsPerS),
    operations_per_s_bare: round(opsBare.opsPerS),
    operation_p50_ms_ours: round(opsOurs.p50, 2),
    operation_p99_ms_ours: round(opsOurs.p99, 2),
    operation_p99_ms_bare: round(opsBare.p99, 2),
    operations_refused_under_cap: opsOurs.refusedUnderCap,
    operations_refused_in_bursts: `${opsOurs.burstRefused} of ${opsOurs.burstSent}`,
    targets: { heap_per_socket_vs_bare_ratio: `<= ${TARGETS.heapPerSocketVsBare}`, upgrades_per_s_vs_bare_ratio: `>= ${TARGETS.upgradesVsBare}` },
    rss_per_socket_vs_bare_ratio: bareRss > 0 ? round(oursRss / bareRss, 3) : null,
    heap_per_socket_vs_bare_ratio: heapRatio,
    upgrades_per_s_vs_bare_ratio: upgradeRatio,
    operations_per_s_vs_bare_ratio: round(opsOurs.opsPerS / opsBare.opsPerS, 3),
  };
  writeReport('ws', metrics, [
    { measure: `RSS per socket (${f.sockets} held), bytes`, ours: round(oursRss, 0), bare: round(bareRss, 0) },
    { measure: 'heap per socket, bytes', ours: round(oursHeap, 0), bare: round(bareHeap, 0) },
    { measure: `  ratio ${heapRatio} (target ≤ ${TARGETS.heapPerSocketVsBare}) ${heapRatio !== null && heapRatio <= TARGETS.heapPerSocketVsBare ? 'met' : 'NOT met'}`, ours: '', bare: '' },
    { measure: 'upgrades/s (open + welcome + close, 8 concurrent)', ours: round(oursRate), bare: round(bareRate) },
    { measure: `  ratio ${upgradeRatio} (target ≥ ${TARGETS.upgradesVsBare}) ${upgradeRatio >= TARGETS.upgradesVsBare ? 'met' : 'NOT met'}`, ours: '', bare: '' },
    { measure: `operations/s (ping; ${f.ops.shape.sockets} sockets × ${f.ops.shape.window} in flight)`, ours: round(opsOurs.opsPerS), bare: round(opsBare.opsPerS) },
    { measure: 'operation latency p50 / p99 ms', ours: `${round(opsOurs.p50, 2)} / ${round(opsOurs.p99, 2)}`, bare: `${round(opsBare.p50, 2)} / ${round(opsBare.p99, 2)}` },
    { measure: `refusals: under the cap / bursts of ${f.ops.shape.burst} (cap 8)`, ours: `${opsOurs.refusedUnderCap} / ${opsOurs.burstRefused} of ${opsOurs.burstSent}`, bare: 'n/a' },
    { measure: `revocation fan-out A→B p50 / p99 ms (${f.fanout.rounds} rounds × ${f.fanout.socketsPerRound} sockets)`, ours: `${round(f.fanout.p50)} / ${round(f.fanout.p99)}`, bare: 'n/a' },
    { measure: `IdP refreshes per session per token lifetime (${f.refresh.sockets} sockets, 2 instances)`, ours: perLifetime, bare: 'n/a' },
  ]);
}
