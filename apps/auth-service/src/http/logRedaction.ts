import type { FastifyRequest } from 'fastify';

/** What replaces a secret in a log line (the same censor as the header redaction). */
export const CENSOR = '[redacted]';

/** Query keys whose values are secrets on any route: OAuth `code` / `state`, tokens, secrets, passwords, keys. */
const SECRET_KEY = /^(code|state|key|api[-_]?key|signature|sig)$|token|secret|passw|otp/i;

/** Under Better-Auth's base path every query value is redacted: callback URLs can embed tokens too. */
const AUTH_PREFIX = '/api/auth/';

/** Better-Auth routes with a secret in the path (`/reset-password/:token`). */
const SECRET_PATH = /^(\/api\/auth\/reset-password\/)[^/?]+/i;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * A URL fit for a log line: every query key kept, the values of secret keys (and of every key
 * under `/api/auth/`) replaced by `[redacted]`, and a token in the path too. Works on a path
 * (`/a?b=c`) or a full URL.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  let path: string;
  try {
    path = new URL(rawPath, 'http://x').pathname;
  } catch {
    path = rawPath;
  }
  const authRoute = decoded(path).toLowerCase().startsWith(AUTH_PREFIX);
  const safePath = rawPath.replace(SECRET_PATH, `$1${CENSOR}`);
  if (q === -1) return safePath;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const key = pair.slice(0, eq);
      return authRoute || SECRET_KEY.test(decoded(key)) ? `${key}=${CENSOR}` : pair;
    })
    .join('&');
  return `${safePath}?${query}`;
}

/** Fastify's request serializer with the URL redacted (same fields as its default). */
function req(request: FastifyRequest) {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactUrl(request.url) : request.url,
    version: [request.headers?.['accept-version']].flat()[0],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * pino serializers for every log line that carries a URL: Fastify's request logs (`req`) and any
 * line that logs a `url` field (error and outage logs log route patterns, never a raw URL).
 */
export const LOG_SERIALIZERS = {
  req,
  url: (url: unknown) => (typeof url === 'string' ? redactUrl(url) : url),
};
