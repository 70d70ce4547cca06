import type { IncomingHttpHeaders } from 'node:http';

/** A Better-Auth plugin hook as far as its `matcher` goes. */
export interface HookLike {
  matcher?: (context: unknown) => boolean;
}

/** Just enough of a `Headers` for a matcher, read from Node's lower-cased header object. */
function headersView(headers: IncomingHttpHeaders) {
  const get = (name: string): string | null => {
    const value = headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return { get, has: (name: string) => get(name) !== null };
}

/**
 * Whether any hook would run on `GET /get-session` with these request headers (a plugin may hook
 * it only when a header is present, e.g. `x-api-key`). A matcher that throws counts as matching:
 * the request is then left to Better-Auth, which runs the hook itself.
 */
export function hooksMatch(hooks: readonly HookLike[], headers: IncomingHttpHeaders): boolean {
  if (hooks.length === 0) return false;
  const context = { path: '/get-session', method: 'GET', headers: headersView(headers), query: {} };
  for (const hook of hooks) {
    try {
      if (typeof hook.matcher !== 'function' || hook.matcher(context)) return true;
    } catch {
      return true;
    }
  }
  return false;
}
