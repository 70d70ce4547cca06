import { connect } from 'node:net';
import { Pool } from 'undici';

/** One stream of flood requests: GET `path` with the `i`-th prebuilt header set. */
export interface FloodTarget {
  name: string;
  /** Requests per second, on a fixed schedule (open model). */
  rate: number;
  path: string;
  /** Builds the `i`-th request's headers; called for every request before the load starts. */
  headers(i: number): Record<string, string>;
}

export interface FloodLoadOptions {
  durationMs: number;
  /** The client address the flood comes from (a loopback alias: 127.0.0.2 …). */
  localAddress: string;
  /** A request unanswered after this counts as status 0. @default 5_000 */
  timeoutMs?: number;
  /** Keep-alive connections. @default 16 */
  connections?: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining). @default 4 */
  pipelining?: number;
}

export interface FloodLoadResult {
  /** Per target: answers by status (0: error or timeout). */
  statuses: Record<string, Record<string, number>>;
  /** Per target: answers that carried Retry-After. */
  retryAfter: Record<string, number>;
  sent: number;
}

const TICK_MS = 5;

/**
 * A cheap open-model flood: every request is built before the clock starts, sent with undici's
 * `request` on a keep-alive, pipelined pool bound to `localAddress` (no fetch, no Response
 * objects), and only its status is kept. Requests due since the last tick go out together, so
 * the rate holds without a timer per request.
 */
export async function floodLoad(origin: string, targets: FloodTarget[], options: FloodLoadOptions): Promise<FloodLoadResult> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const pool = new Pool(origin, {
    connections: options.connections ?? 16,
    pipelining: options.pipelining ?? 4,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    // undici ignores `connect.localAddress`; a connector of our own binds it.
    connect: (opts, callback) => {
      const socket = connect({ host: opts.hostname, port: Number(opts.port), localAddress: options.localAddress });
      socket.setNoDelay(true);
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (error) => callback(error, null));
    },
  });
  const plans = targets.map((target) => {
    const total = Math.floor((options.durationMs / 1_000) * target.rate);
    return { target, interval: 1_000 / target.rate, requests: Array.from({ length: total }, (_, i) => target.headers(i)), next: 0 };
  });
  const statuses: FloodLoadResult['statuses'] = Object.fromEntries(targets.map((t) => [t.name, {}]));
  const retryAfter: FloodLoadResult['retryAfter'] = Object.fromEntries(targets.map((t) => [t.name, 0]));
  const inFlight: Promise<void>[] = [];
  const send = async (name: string, path: string, headers: Record<string, string>) => {
    let status = 0;
    try {
      const answer = await pool.request({ origin, path, method: 'GET', headers });
      status = answer.statusCode;
      if (answer.headers['retry-after'] !== undefined) retryAfter[name] = (retryAfter[name] ?? 0) + 1;
      await answer.body.dump();
    } catch {
      status = 0;
    }
    const counts = statuses[name] as Record<string, number>;
    counts[status] = (counts[status] ?? 0) + 1;
  };
  const started = performance.now();
  try {
    while (plans.some((p) => p.next < p.requests.length)) {
      const elapsed = performance.now() - started;
      for (const plan of plans) {
        while (plan.next < plan.requests.length && plan.next * plan.interval <= elapsed) {
          inFlight.push(send(plan.target.name, plan.target.path, plan.requests[plan.next] as Record<string, string>));
          plan.next++;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close().catch(() => undefined);
  }
  return { statuses, retryAfter, sent: inFlight.length };
}
