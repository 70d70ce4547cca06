import type { RouteKey } from './routeInventory';
import type { Actor, MatrixWorld, Target } from './world';

/** The callers every route is tried with. */
export const PRINCIPALS = ['anonymous', 'plain', 'underScopedKey', 'lowerAdmin', 'sameRankAdmin', 'superAdmin'] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

/**
 * One cell: a status, or a few statuses when the answer depends on something other than who asks
 * (never a 2xx together with a 401/403: the matrix must tell allowed from refused); optionally the
 * error code (`{error:{code}}` or Better-Auth's `{code}`), and `body: null` / `'non-null'` where a
 * 200 tells "no session" from a session by its JSON body.
 */
export type Expectation = number | readonly number[] | { status: number | readonly number[]; code?: string; body?: null | 'non-null' };

export interface RequestSpec {
  /** Path with parameters filled in, and query; default: the row's path. */
  url?: string;
  /** JSON body. */
  body?: unknown;
  /** `application/x-www-form-urlencoded` body. */
  form?: Record<string, string>;
}

export interface CellContext {
  principal: PrincipalName;
  actor: Actor;
  world: MatrixWorld;
  /** A fresh user to act on, of the rank that matters for this caller (see `targetRankOf`). */
  target(options?: { withSession?: boolean; deleted?: boolean }): Promise<Target>;
  /** A fresh role to act on, of the rank that matters for this caller. */
  roleTarget(): Promise<{ id: string }>;
}

export interface MatrixRow {
  /** `METHOD /path` exactly as registered. */
  route: RouteKey;
  request?: (cell: CellContext) => RequestSpec | Promise<RequestSpec>;
  expect: Record<PrincipalName, Expectation>;
  /** The request ends the caller's own sessions: it runs with a fresh sign-in, after every other row. */
  endsOwnSessions?: boolean;
  /** A WebSocket upgrade (101 when accepted). */
  websocket?: boolean;
}

/** Every principal the same answer (the route does not look at who calls). */
export const everyone = (expectation: Expectation): Record<PrincipalName, Expectation> => Object.fromEntries(PRINCIPALS.map((p) => [p, expectation])) as Record<PrincipalName, Expectation>;

const statusesOf = (e: Expectation): readonly number[] => (typeof e === 'number' ? [e] : Array.isArray(e) ? e : [(e as { status: number | readonly number[] }).status].flat());

export const expectedStatuses = statusesOf;
export const expectedCode = (e: Expectation): string | undefined => (typeof e === 'object' && !Array.isArray(e) ? (e as { code?: string }).code : undefined);
/** `null`, `'non-null'`, or undefined when the body does not matter. */
export const expectedBody = (e: Expectation): null | 'non-null' | undefined => (typeof e === 'object' && !Array.isArray(e) ? (e as { body?: null | 'non-null' }).body : undefined);

const refused = (s: number) => s === 401 || s === 403;

/** Cells whose allowed set mixes a refusal (401/403) with anything else, named by route and principal. */
export function ambiguousCells(rows: readonly MatrixRow[]): string[] {
  const out: string[] = [];
  for (const row of rows) {
    for (const principal of PRINCIPALS) {
      const statuses = statusesOf(row.expect[principal]);
      if (statuses.length === 0 || (statuses.some(refused) && !statuses.every(refused))) out.push(`${row.route} × ${principal}: [${statuses.join(', ')}]`);
    }
  }
  return out;
}
