import type { StatementSummary } from './statementSummary';

export interface PhaseCost {
  /** Server CPU (user + system, from its own `process.cpuUsage()`) per request sent. */
  cpuMsPerRequest: number | null;
  /** From pg_stat_statements over the measured windows; null when it could not be loaded. */
  statements: StatementSummary | null;
}

export interface GetSessionFigures extends PhaseCost {
  /** Completed ÷ wall time, over all measured rounds. */
  rps: number;
  /** req/s of each round, to show the spread on a shared machine. */
  roundRps: number[];
  /** Median over rounds of autocannon's per-round p50 / p99. */
  p50Ms: number;
  p99Ms: number;
  /** Completed in the windows. */
  requests: number;
  /** Sent in the windows; CPU and queries per request divide by this (the server finishes cut-off ones). */
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
  /** Sign-outs (bearer) of the measured sign-ins' sessions, timed like them; absent: not measured. */
  signOut?: SignInFigures | null;
}
