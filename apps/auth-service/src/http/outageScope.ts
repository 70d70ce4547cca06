import { AsyncLocalStorage } from 'node:async_hooks';
import { outageOf } from './httpError';

interface Scope {
  outage?: unknown;
  /** Models whose writes committed before the first outage was recorded. */
  committed: Set<string>;
}

const storage = new AsyncLocalStorage<Scope>();

/**
 * Better-Auth swallows some database errors into a plain 500 (get-session wraps them) or into
 * "no session". Repository calls made while serving a request report outages here, so the route
 * can answer 503 + Retry-After instead of 500 or 401 — and report the writes that committed
 * before the first outage, so the route can tell a committed effect from a disguised failure.
 */
export const outageScope = {
  run<T>(fn: () => Promise<T>): Promise<T> {
    return storage.run({ committed: new Set() }, fn);
  },
  /** Records `error` when it is a dependency outage (circuit open, transient, timeout). */
  report(error: unknown): void {
    const scope = storage.getStore();
    if (scope && !scope.outage && outageOf(error)) scope.outage = error;
  },
  /** Records that a write of `model` committed; kept only while no outage has been recorded. */
  committed(model: string): void {
    const scope = storage.getStore();
    if (scope && !scope.outage) scope.committed.add(model);
  },
  /** The models whose writes committed before the request's first outage. */
  committedBeforeOutage(): ReadonlySet<string> {
    return storage.getStore()?.committed ?? new Set();
  },
  /** The outage seen while serving the current request, if any. */
  current(): unknown {
    return storage.getStore()?.outage;
  },
};
