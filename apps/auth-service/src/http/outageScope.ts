import { AsyncLocalStorage } from 'node:async_hooks';
import { outageOf } from './httpError';

interface Scope {
  outage?: unknown;
}

const storage = new AsyncLocalStorage<Scope>();

/**
 * Better-Auth swallows some database errors into a plain 500 (get-session wraps them) or into
 * "no session". Repository calls made while serving a request report outages here, so the route
 * can answer 503 + Retry-After instead of 500 or 401.
 */
export const outageScope = {
  run<T>(fn: () => Promise<T>): Promise<T> {
    return storage.run({}, fn);
  },
  /** Records `error` when it is a dependency outage (circuit open, transient, timeout). */
  report(error: unknown): void {
    const scope = storage.getStore();
    if (scope && !scope.outage && outageOf(error)) scope.outage = error;
  },
  /** The outage seen while serving the current request, if any. */
  current(): unknown {
    return storage.getStore()?.outage;
  },
};
