/** One pg_stat_statements entry: normalised text (`$1` placeholders, no values) and call count. */
export interface StatementRow {
  query: string;
  calls: number;
}

export interface StatementSummary {
  /** SELECT/INSERT/UPDATE/DELETE statements (and CTEs of them) per request. */
  queriesPerRequest: number | null;
  /** Explicit transactions (BEGIN) per request. */
  transactionsPerRequest: number | null;
  /** The most called statements, text shortened, for reading what a request does. */
  top: Array<{ query: string; callsPerRequest: number }>;
}

// Transaction control and session settings are round trips but not queries against data.
const UTILITY = /^\s*(begin|start\s+transaction|commit|end|rollback|savepoint|release|set|reset|show|deallocate|discard)\b/i;
const BEGIN = /^\s*(begin|start\s+transaction)\b/i;
const TOP = 5;
const TEXT_LIMIT = 140;

/** Adds `more` into `into` by statement text (to sum several measured windows). */
export function addStatementRows(into: Map<string, number>, more: StatementRow[]): void {
  for (const row of more) into.set(row.query, (into.get(row.query) ?? 0) + row.calls);
}

export function isUtilityStatement(sql: string): boolean {
  return UTILITY.test(sql);
}

function shorten(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > TEXT_LIMIT ? `${flat.slice(0, TEXT_LIMIT)}…` : flat;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Per-request statement counts over `requests` requests; null figures when no request was made. */
export function summarizeStatements(rows: StatementRow[], requests: number): StatementSummary {
  if (!(requests > 0)) return { queriesPerRequest: null, transactionsPerRequest: null, top: [] };
  let queries = 0;
  let transactions = 0;
  for (const row of rows) {
    if (BEGIN.test(row.query)) transactions += row.calls;
    else if (!isUtilityStatement(row.query)) queries += row.calls;
  }
  const top = rows
    .filter((r) => !isUtilityStatement(r.query))
    .sort((a, b) => b.calls - a.calls)
    .slice(0, TOP)
    .map((r) => ({ query: shorten(r.query), callsPerRequest: round(r.calls / requests) }));
  return { queriesPerRequest: round(queries / requests), transactionsPerRequest: round(transactions / requests), top };
}
