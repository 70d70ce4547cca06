import autocannon from 'autocannon';
import { GET_SESSION_PATH } from './verifySession';

export interface LoadResult {
  /** Completed requests in the measured run. */
  requests: number;
  /** Requests sent, including those still in flight when the run stopped (the server finishes them). */
  sent: number;
  rps: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Answers that were not 2xx, plus connection errors and timeouts: must be 0 for a valid run. */
  non2xx: number;
  errors: number;
  /** Wall time of the run. */
  durationSeconds: number;
  /** Mean bytes per answer (headers + body): a drop to a few bytes means `null` answers. */
  bytesPerResponse: number;
}

/** One getSession request per token, each with its own bearer header; autocannon cycles through them. */
export function sessionRequests(tokens: string[], path = GET_SESSION_PATH): autocannon.Request[] {
  if (tokens.length === 0) throw new RangeError('sessionRequests needs at least one token');
  return tokens.map((token) => ({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } }));
}

/** A bounded autocannon run against `url` with prebuilt requests. */
export async function runLoad(url: string, requests: autocannon.Request[], connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({ url, connections, duration: seconds, timeout: 10, requests });
  const completed = result.requests.total;
  return {
    requests: completed,
    sent: result.requests.sent,
    rps: completed / result.duration,
    durationSeconds: result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bytesPerResponse: completed > 0 ? result.throughput.total / completed : 0,
  };
}
