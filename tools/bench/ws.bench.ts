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
  fanout: { rounds: number; socketsPerRound: number; p50: number; p99: number; max: number };
  refresh: { sockets: number; lifetimes: number; idpRefreshCalls: number; errors: number };
}

const ROOT = join(__dirname, '..', '..');

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
  const metrics = {
    config: { socketsHeld: f.sockets, upgradesPerRound: f.upgrades, rounds: f.rate.ours.length, fanoutRounds: f.fanout.rounds, refreshSockets: f.refresh.sockets },
    raw: f,
    rss_per_socket_bytes_ours: round(oursRss, 0),
    rss_per_socket_bytes_bare: round(bareRss, 0),
    heap_per_socket_bytes_ours: round(median(f.memory.oursHeap), 0),
    heap_per_socket_bytes_bare: round(median(f.memory.bareHeap), 0),
    upgrades_per_s_ours: round(oursRate),
    upgrades_per_s_bare: round(bareRate),
    revocation_fanout_p50_ms: round(f.fanout.p50),
    revocation_fanout_p99_ms: round(f.fanout.p99),
    idp_refresh_calls_per_session_per_lifetime: perLifetime,
    rss_per_socket_vs_bare_ratio: bareRss > 0 ? round(oursRss / bareRss, 3) : null,
    upgrades_per_s_vs_bare_ratio: round(oursRate / bareRate, 3),
  };
  writeReport('ws', metrics, [
    { measure: `RSS per socket (${f.sockets} held), bytes`, ours: round(oursRss, 0), bare: round(bareRss, 0) },
    { measure: 'heap per socket, bytes', ours: round(median(f.memory.oursHeap), 0), bare: round(median(f.memory.bareHeap), 0) },
    { measure: 'upgrades/s (open + welcome + close, 8 concurrent)', ours: round(oursRate), bare: round(bareRate) },
    { measure: `revocation fan-out A→B p50 / p99 ms (${f.fanout.rounds} rounds × ${f.fanout.socketsPerRound} sockets)`, ours: `${round(f.fanout.p50)} / ${round(f.fanout.p99)}`, bare: 'n/a' },
    { measure: `IdP refreshes per session per token lifetime (${f.refresh.sockets} sockets, 2 instances)`, ours: perLifetime, bare: 'n/a' },
  ]);
}
