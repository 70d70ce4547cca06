import { createHash } from 'node:crypto';
import { CLIENT_ADDRESS_HEADER } from '../../http/clientAddress';

/** Where a request came from, as stored on `UserEvent` / `SessionLog` rows (bounded lengths). */
export interface RequestInfo {
  pageUrl?: string;
  userAgent?: string;
  ipAddress?: string;
}

const clip = (value: string | null | undefined, max: number) => (value ? value.slice(0, max) : undefined);

/**
 * Reads page URL (without its query: query strings can carry tokens), user agent and client IP. The
 * IP header is set by our own Fastify bridge to the resolved client address (http/clientAddress.ts;
 * a client's value is overwritten).
 */
export function requestInfo(request: Request | undefined, headers?: Headers): RequestInfo {
  const h = headers ?? request?.headers;
  let pageUrl: string | undefined;
  if (request?.url) {
    try {
      const url = new URL(request.url);
      pageUrl = clip(`${url.origin}${url.pathname}`, 2_048);
    } catch {
      pageUrl = undefined;
    }
  }
  return {
    pageUrl,
    userAgent: clip(h?.get('user-agent'), 512),
    ipAddress: clip(h?.get(CLIENT_ADDRESS_HEADER)?.split(',')[0]?.trim(), 64),
  };
}

/**
 * A session fingerprint: a hash of what the client presents on every request (user agent and
 * language), so a token replayed from another kind of client can be spotted. Not a secret.
 */
export function sessionFingerprint(headers: Headers | undefined): string | undefined {
  if (!headers) return undefined;
  const material = `${headers.get('user-agent') ?? ''}\n${headers.get('accept-language') ?? ''}`;
  return createHash('sha256').update(material).digest('base64url').slice(0, 32);
}
