import type { RouteOptions } from 'fastify';

/** `METHOD /path` as Fastify registered it (`/api/admin/users/:id`) or Better-Auth serves it. */
export type RouteKey = `${string} /${string}` | `${string} *`;

export const routeKey = (method: string, url: string): RouteKey => `${method.toUpperCase()} ${url}` as RouteKey;

/** Where a route comes from: a Fastify route, or a Better-Auth endpoint behind `/api/auth/*`. */
export interface InventoryEntry {
  key: RouteKey;
  method: string;
  path: string;
  source: 'fastify' | 'better-auth';
  /** A HEAD route Fastify added for a GET route (`exposeHeadRoute`). */
  headOf?: RouteKey;
}

/** Records every route an app registers: pass `record` as an `onRoute` hook before the routes exist. */
export class RouteRecorder {
  readonly #routes: Array<{ method: string; url: string }> = [];

  readonly record = (route: RouteOptions): void => {
    for (const method of [route.method].flat()) this.#routes.push({ method: String(method).toUpperCase(), url: route.url });
  };

  get routes(): ReadonlyArray<{ method: string; url: string }> {
    return this.#routes;
  }
}

/** What `auth.api` holds of an endpoint (better-call): its path and method(s). */
interface EndpointLike {
  path?: string;
  options?: { method?: string | string[]; metadata?: { SERVER_ONLY?: boolean } };
}

/**
 * The endpoints Better-Auth's router serves, as better-call's `createRouter` builds it: every
 * `auth.api` endpoint with a path, not `SERVER_ONLY`, not in `disabledPaths`, once per method.
 */
export function betterAuthEndpoints(api: Record<string, unknown>, basePath: string, disabledPaths: readonly string[] = []): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  for (const endpoint of Object.values(api) as EndpointLike[]) {
    if (!endpoint?.path || !endpoint.options || endpoint.options.metadata?.SERVER_ONLY || disabledPaths.includes(endpoint.path)) continue;
    for (const method of [endpoint.options.method ?? 'GET'].flat()) out.push({ method: method.toUpperCase(), path: `${basePath}${endpoint.path}` });
  }
  return out;
}

/**
 * Every route the app answers: the recorded Fastify routes, with the Better-Auth wildcard
 * (`<basePath>/*`) replaced by the endpoints behind it. A Better-Auth endpoint that a static
 * Fastify route shadows (same method and path) is one entry, the Fastify one.
 */
export function routeInventory(fastifyRoutes: ReadonlyArray<{ method: string; url: string }>, endpoints: ReadonlyArray<{ method: string; path: string }>, basePath: string): InventoryEntry[] {
  const wildcard = `${basePath}/*`;
  const entries = new Map<RouteKey, InventoryEntry>();
  const gets = new Set(fastifyRoutes.filter((r) => r.method === 'GET').map((r) => r.url));
  for (const { method, url } of fastifyRoutes) {
    if (url === wildcard) continue;
    const key = routeKey(method, url);
    entries.set(key, { key, method, path: url, source: 'fastify', ...(method === 'HEAD' && gets.has(url) ? { headOf: routeKey('GET', url) } : {}) });
  }
  const wildcardMethods = new Set(fastifyRoutes.filter((r) => r.url === wildcard).map((r) => r.method));
  for (const { method, path } of endpoints) {
    const key = routeKey(method, path);
    if (!wildcardMethods.has(method)) continue;
    if (!entries.has(key)) entries.set(key, { key, method, path, source: 'better-auth' });
    // Fastify answers HEAD on the wildcard too (its HEAD twin); Better-Auth's router has no HEAD.
    const head = routeKey('HEAD', path);
    if (method === 'GET' && wildcardMethods.has('HEAD') && !entries.has(head)) entries.set(head, { key: head, method: 'HEAD', path, source: 'better-auth', headOf: key });
  }
  return [...entries.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** Routes without a row and rows without a route, each named; empty when the table matches. */
export function tableMismatches(inventory: readonly InventoryEntry[], rowKeys: readonly RouteKey[]): string[] {
  const rows = new Set(rowKeys);
  const routes = new Set(inventory.map((e) => e.key));
  const problems: string[] = [];
  for (const key of rowKeys.filter((k, i) => rowKeys.indexOf(k) !== i)) problems.push(`${key}: more than one row`);
  for (const entry of inventory) if (!entry.headOf && !rows.has(entry.key)) problems.push(`${entry.key}: registered (${entry.source}) but has no row in the authorization matrix`);
  for (const key of rows) if (!routes.has(key)) problems.push(`${key}: has a row in the authorization matrix but no such route is registered`);
  return problems;
}
