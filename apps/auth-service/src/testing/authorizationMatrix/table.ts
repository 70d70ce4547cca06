import { ADMIN_ROWS } from './adminRows';
import { BETTER_AUTH_ROWS } from './betterAuthRows';
import { everyone, expectedStatuses, PRINCIPALS, type MatrixRow } from './expectations';
import { PLATFORM_ROWS } from './platformRows';
import { PLUGIN_ROWS } from './pluginRows';
import type { InventoryEntry } from './routeInventory';

/** The authorization matrix: one row per registered route (docs/authorization-matrix.md). */
export const MATRIX_ROWS: readonly MatrixRow[] = [...PLATFORM_ROWS, ...ADMIN_ROWS, ...BETTER_AUTH_ROWS, ...PLUGIN_ROWS];

/**
 * Rows for the HEAD twins Fastify adds to GET routes that have no row of their own: the GET
 * row's request and answers for a Fastify route; 404 for everyone under the Better-Auth wildcard
 * (its router has no HEAD endpoints).
 */
export function headRows(inventory: readonly InventoryEntry[], rows: readonly MatrixRow[]): MatrixRow[] {
  const byRoute = new Map(rows.map((r) => [r.route, r]));
  const out: MatrixRow[] = [];
  for (const entry of inventory) {
    if (!entry.headOf || byRoute.has(entry.key)) continue;
    const get = byRoute.get(entry.headOf);
    if (!get) continue; // reported as a GET route without a row
    // A HEAD answer has no body: only the statuses carry over.
    const statuses = Object.fromEntries(PRINCIPALS.map((p) => [p, expectedStatuses(get.expect[p])])) as MatrixRow['expect'];
    out.push({ route: entry.key, request: get.request, expect: entry.source === 'better-auth' ? everyone(404) : statuses });
  }
  return out;
}
