/**
 * A browser for redirect flows in tests: `fetch` with `redirect: 'manual'`, a cookie jar per
 * host (name=value only; attributes are not enforced) and a loop that follows `Location`.
 */
export class Browser {
  readonly #jars = new Map<string, Map<string, string>>();

  /** The cookies this browser holds for `url`'s host, as a `Cookie` header. */
  cookieHeader(url: string): string {
    const jar = this.#jars.get(new URL(url).host);
    return jar ? [...jar].map(([name, value]) => `${name}=${value}`).join('; ') : '';
  }

  cookie(url: string, name: string): string | undefined {
    return this.#jars.get(new URL(url).host)?.get(name);
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookies = this.cookieHeader(url);
    if (cookies) headers.set('cookie', cookies);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    const host = new URL(url).host;
    const jar = this.#jars.get(host) ?? new Map<string, string>();
    this.#jars.set(host, jar);
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  /**
   * GETs `url` and follows redirects until a response is not a redirect or its target satisfies
   * `stop`; returns the last response and the URL it answered for.
   */
  async follow(url: string, stop: (next: URL) => boolean = () => false, maxHops = 20): Promise<{ response: Response; url: string }> {
    let current = url;
    for (let hop = 0; hop < maxHops; hop++) {
      const response = await this.fetch(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { response, url: current };
      await response.arrayBuffer();
      const next = new URL(location, current);
      if (stop(next)) return { response, url: next.toString() };
      current = next.toString();
    }
    throw new Error(`more than ${maxHops} redirects from ${url}`);
  }
}
