import type { ChildServer } from './childServer';
import { waitUntilIdle } from './idle';
import type { StatementCounter } from './StatementCounter';
import type { StatementRow } from './statementSummary';

export interface Window<T> {
  result: T;
  /** Server CPU (user + system) spent in the window, in microseconds. */
  cpuMicros: number;
  /** Statements run in the benchmark database in the window; null without pg_stat_statements. */
  statements: StatementRow[] | null;
}

/**
 * Runs `fn` between two CPU and statement readings of `server`, each taken once the server is
 * idle, so the window holds exactly the work of the requests `fn` sent (other servers are idle).
 */
export async function measureWindow<T>(server: ChildServer, statements: StatementCounter | null, fn: () => Promise<T>): Promise<Window<T>> {
  await waitUntilIdle(server, statements);
  await statements?.reset();
  const before = await server.cpuUsage();
  const result = await fn();
  await waitUntilIdle(server, statements);
  const after = await server.cpuUsage();
  const rows = statements ? await statements.rows() : null;
  const cpuMicros = after.userMicros - before.userMicros + (after.systemMicros - before.systemMicros);
  return { result, cpuMicros, statements: rows };
}
