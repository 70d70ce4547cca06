import type { GetSessionFigures, SignInFigures } from './figures';
import type { LoadResult } from './load';
import type { Window } from './measureWindow';
import type { SignInRun } from './signIn';
import { addStatementRows, summarizeStatements, type StatementRow } from './statementSummary';
import { median } from '../report';
import { percentile } from './stats';

/** Sums CPU and statements over several windows of one server and phase. */
class CostTally {
  cpuMicros = 0;
  requests = 0;
  #calls: Map<string, number> | null = new Map();

  add(window: Window<unknown>, requests: number): void {
    this.cpuMicros += window.cpuMicros;
    this.requests += requests;
    // One window without pg_stat_statements makes the whole count unknown, not smaller.
    if (window.statements && this.#calls) addStatementRows(this.#calls, window.statements);
    else this.#calls = null;
  }

  cost() {
    const rows: StatementRow[] | null = this.#calls ? [...this.#calls].map(([query, calls]) => ({ query, calls })) : null;
    return {
      cpuMsPerRequest: this.requests > 0 ? this.cpuMicros / 1000 / this.requests : null,
      statements: rows ? summarizeStatements(rows, this.requests) : null,
    };
  }
}

/** getSession figures of one server over its interleaved rounds. */
export class GetSessionTally {
  readonly #cost = new CostTally();
  readonly #rounds: LoadResult[] = [];

  add(window: Window<LoadResult>): void {
    this.#rounds.push(window.result);
    this.#cost.add(window, window.result.sent);
  }

  figures(): GetSessionFigures {
    const sum = (f: (r: LoadResult) => number) => this.#rounds.reduce((total, r) => total + f(r), 0);
    const completed = sum((r) => r.requests);
    const seconds = sum((r) => r.durationSeconds);
    return {
      rps: seconds > 0 ? completed / seconds : 0,
      roundRps: this.#rounds.map((r) => Math.round(r.rps)),
      p50Ms: median(this.#rounds.map((r) => r.latencyP50Ms)),
      p99Ms: median(this.#rounds.map((r) => r.latencyP99Ms)),
      requests: completed,
      sent: sum((r) => r.sent),
      non2xx: sum((r) => r.non2xx),
      errors: sum((r) => r.errors),
      bytesPerResponse: completed > 0 ? sum((r) => r.bytesPerResponse * r.requests) / completed : 0,
      ...this.#cost.cost(),
    };
  }
}

/** Sign-in figures of one server over its interleaved rounds. */
export class SignInTally {
  readonly #cost = new CostTally();
  readonly #latencies: number[] = [];
  #failures = 0;

  add(window: Window<SignInRun>): void {
    this.#latencies.push(...window.result.latenciesMs);
    this.#failures += window.result.failures;
    this.#cost.add(window, window.result.latenciesMs.length + window.result.failures);
  }

  figures(): SignInFigures {
    return {
      p50Ms: percentile(this.#latencies, 50),
      p99Ms: percentile(this.#latencies, 99),
      measured: this.#latencies.length,
      failures: this.#failures,
      ...this.#cost.cost(),
    };
  }
}
