import type { ChildServer } from './childServer';
import type { ServerFigures } from './figures';
import { runLoad, sessionRequests } from './load';
import { measureWindow } from './measureWindow';
import type { AuthBenchOptions } from './options';
import type { BenchUser } from './seed';
import { measureSignIns, measureSignOuts } from './signIn';
import type { StatementCounter } from './StatementCounter';
import { GetSessionTally, SignInTally } from './tally';
import { verifySession } from './verifySession';

export interface Candidate {
  server: ChildServer;
  /** Users whose session is checked before anything is measured. */
  verifyUsers: BenchUser[];
  /** false for a server without authentication (the node:http floor): no sign-in phase. */
  signIn: boolean;
}

export interface MeasureContext {
  users: BenchUser[];
  statements: StatementCounter | null;
  options: AuthBenchOptions;
}

/** Round `round`'s order: rotated, so no server always runs first (or right after another). */
export function roundOrder(count: number, round: number): number[] {
  return Array.from({ length: count }, (_, k) => (k + round) % count);
}

/** How many of `total` items round `round` of `rounds` gets (the split adds up to `total`). */
export function roundShare(total: number, rounds: number, round: number): number {
  return Math.floor(((round + 1) * total) / rounds) - Math.floor((round * total) / rounds);
}

/**
 * Measures every server side by side: all are checked and warmed up, then the measured
 * getSession load and the sequential sign-ins run in rounds, alternating between servers, so
 * drift on a shared machine (other jobs, thermal, the database growing) hits all of them alike.
 * Returns figures in the order of `candidates`. Every server stays up (idle) between its turns.
 */
export async function measureServers(candidates: Candidate[], ctx: MeasureContext): Promise<ServerFigures[]> {
  const { options, statements } = ctx;
  for (const c of candidates) for (const user of c.verifyUsers) await verifySession(c.server.name, c.server.url, user);

  const requests = sessionRequests(ctx.users.map((u) => u.token));
  for (const c of candidates) await runLoad(c.server.url, requests, options.connections, options.warmupSeconds);
  const roundSeconds = Math.max(1, Math.round(options.durationSeconds / options.rounds));
  const sessions = candidates.map(() => new GetSessionTally());
  for (let round = 0; round < options.rounds; round++) {
    for (const i of roundOrder(candidates.length, round)) {
      const { server } = candidates[i];
      sessions[i].add(await measureWindow(server, statements, () => runLoad(server.url, requests, options.connections, roundSeconds)));
    }
  }

  const signIns = candidates.map((c) => (c.signIn ? new SignInTally() : null));
  const signOuts = candidates.map((c) => (c.signIn ? new SignInTally() : null));
  for (const c of candidates) if (c.signIn) await measureSignIns(c.server.url, ctx.users, options.signinWarmup);
  let firstUser = options.signinWarmup;
  for (let round = 0; round < options.rounds; round++) {
    const count = roundShare(options.signins, options.rounds, round);
    for (const i of roundOrder(candidates.length, round)) {
      const { server } = candidates[i];
      // Same users, in the same order, for every server.
      const start = firstUser;
      const tally = signIns[i];
      if (!tally) continue;
      const signedIn = await measureWindow(server, statements, () => measureSignIns(server.url, ctx.users, count, start));
      tally.add(signedIn);
      signOuts[i]?.add(await measureWindow(server, statements, () => measureSignOuts(server.url, signedIn.result.tokens ?? [])));
    }
    firstUser += count;
  }

  return candidates.map((_, i) => ({ getSession: sessions[i].figures(), signIn: signIns[i]?.figures() ?? null, signOut: signOuts[i]?.figures() ?? null }));
}
