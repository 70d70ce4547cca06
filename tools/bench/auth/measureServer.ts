import type { ChildServer } from './childServer';
import { waitUntilIdle } from './idle';
import { runLoad, sessionRequests } from './load';
import type { AuthBenchOptions } from './options';
import type { BenchUser } from './seed';
import { measureSignIns } from './signIn';
import type { StatementCounter } from './StatementCounter';
import type { StatementSummary } from './statementSummary';
import { cpuMsPerRequest, percentile } from './stats';
import { verifySession } from './verifySession';

export interface PhaseCost {
  /** Server CPU (user + system, from its own `process.cpuUsage()`) per request. */
  cpuMsPerRequest: number | null;
  /** From pg_stat_statements over the measured window; null when it could not be loaded. */
  statements: StatementSummary | null;
}

export interface GetSessionFigures extends PhaseCost {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Completed in the window (rps is completed ÷ duration). */
  requests: number;
  /** Sent in the window; CPU and queries per request divide by this (in-flight ones are finished by the server). */
  sent: number;
  non2xx: number;
  errors: number;
  bytesPerResponse: number;
}

export interface SignInFigures extends PhaseCost {
  p50Ms: number | null;
  p99Ms: number | null;
  measured: number;
  failures: number;
}

export interface ServerFigures {
  getSession: GetSessionFigures;
  /** null for a server without authentication (the node:http floor). */
  signIn: SignInFigures | null;
}

export interface MeasureContext {
  users: BenchUser[];
  /** Users whose session is checked before measuring (the node:http floor only knows one). */
  verifyUsers: BenchUser[];
  statements: StatementCounter | null;
  options: AuthBenchOptions;
  /** Skip sign-in for a server that has no authentication. @default false */
  skipSignIn?: boolean;
}

/**
 * Runs `fn` between two CPU and statement readings of the server, each taken once the server
 * is idle, so the window holds exactly the work of the requests `fn` sent.
 */
async function costOf<T>(server: ChildServer, statements: StatementCounter | null, fn: () => Promise<T>, requestsOf: (r: T) => number) {
  await waitUntilIdle(server, statements);
  await statements?.reset();
  const before = await server.cpuUsage();
  const result = await fn();
  await waitUntilIdle(server, statements);
  const after = await server.cpuUsage();
  const requests = requestsOf(result);
  const summary = statements ? await statements.read(requests) : null;
  return { result, cost: { cpuMsPerRequest: cpuMsPerRequest(before, after, requests), statements: summary } };
}

/**
 * Everything measured on one server, in the same order for each: session check, getSession
 * warm-up, measured getSession load, sign-in warm-up, measured sequential sign-ins.
 */
export async function measureServer(server: ChildServer, ctx: MeasureContext): Promise<ServerFigures> {
  const { options } = ctx;
  for (const user of ctx.verifyUsers) await verifySession(server.name, server.url, user);

  const requests = sessionRequests(ctx.users.map((u) => u.token));
  await runLoad(server.url, requests, options.connections, options.warmupSeconds);
  const load = await costOf(server, ctx.statements, () => runLoad(server.url, requests, options.connections, options.durationSeconds), (r) => r.sent);
  const getSession: GetSessionFigures = {
    rps: load.result.rps,
    p50Ms: load.result.latencyP50Ms,
    p99Ms: load.result.latencyP99Ms,
    requests: load.result.requests,
    sent: load.result.sent,
    non2xx: load.result.non2xx,
    errors: load.result.errors,
    bytesPerResponse: load.result.bytesPerResponse,
    ...load.cost,
  };
  if (ctx.skipSignIn) return { getSession, signIn: null };

  await measureSignIns(server.url, ctx.users, options.signinWarmup);
  const signIns = await costOf(
    server,
    ctx.statements,
    () => measureSignIns(server.url, ctx.users, options.signins, options.signinWarmup),
    (r) => r.latenciesMs.length + r.failures,
  );
  return {
    getSession,
    signIn: {
      p50Ms: percentile(signIns.result.latenciesMs, 50),
      p99Ms: percentile(signIns.result.latenciesMs, 99),
      measured: signIns.result.latenciesMs.length,
      failures: signIns.result.failures,
      ...signIns.cost,
    },
  };
}
