import { isTransientError } from '../classify/isTransientError';

/** What went wrong with a WebSocket-bound operation (seed: "specialized error types"). */
export type WebSocketErrorType = 'CONNECTION_LOST' | 'CONNECTION_TIMEOUT' | 'CONNECTION_CLOSED' | 'RATE_LIMITED' | 'AUTH_FAILED' | 'UNKNOWN';

export const WEBSOCKET_ERROR_TYPES: readonly WebSocketErrorType[] = [
  'CONNECTION_LOST',
  'CONNECTION_TIMEOUT',
  'CONNECTION_CLOSED',
  'RATE_LIMITED',
  'AUTH_FAILED',
  'UNKNOWN',
];

const BY_CODE: Readonly<Record<string, WebSocketErrorType>> = {
  ECONNRESET: 'CONNECTION_LOST',
  ECONNREFUSED: 'CONNECTION_LOST',
  ECONNABORTED: 'CONNECTION_LOST',
  EPIPE: 'CONNECTION_LOST',
  ENETUNREACH: 'CONNECTION_LOST',
  EHOSTUNREACH: 'CONNECTION_LOST',
  ETIMEDOUT: 'CONNECTION_TIMEOUT',
  ESOCKETTIMEDOUT: 'CONNECTION_TIMEOUT',
  ATTEMPT_TIMEOUT: 'CONNECTION_TIMEOUT',
  // OAuth 2.0 (RFC 6749 §5.2, RFC 6750 §3.1) error codes: the grant or token is bad; retrying cannot fix it.
  invalid_grant: 'AUTH_FAILED',
  invalid_token: 'AUTH_FAILED',
  invalid_client: 'AUTH_FAILED',
  unauthorized_client: 'AUTH_FAILED',
  access_denied: 'AUTH_FAILED',
  insufficient_scope: 'AUTH_FAILED',
  UNAUTHORIZED: 'AUTH_FAILED',
  FORBIDDEN: 'AUTH_FAILED',
  slow_down: 'RATE_LIMITED',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
};

// RFC 6455 close codes, plus the 4xxx conventions most servers use (4401/4403/4429 mirror HTTP).
function byCloseCode(code: number): WebSocketErrorType | undefined {
  if (code === 1000 || code === 1001 || code === 1005) return 'CONNECTION_CLOSED';
  if (code === 1006 || code === 1011 || code === 1012 || code === 1014) return 'CONNECTION_LOST';
  if (code === 1013 || code === 4029 || code === 4429) return 'RATE_LIMITED';
  if (code === 1008 || code === 4001 || code === 4003 || code === 4401 || code === 4403) return 'AUTH_FAILED';
  return undefined;
}

function byStatus(status: number): WebSocketErrorType | undefined {
  if (status === 401 || status === 403) return 'AUTH_FAILED';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408 || status === 504) return 'CONNECTION_TIMEOUT';
  if (status === 502 || status === 503) return 'CONNECTION_LOST';
  return undefined;
}

const MESSAGE_RULES: ReadonlyArray<[RegExp, WebSocketErrorType]> = [
  [/\b(invalid_grant|invalid_token|unauthori[sz]ed|forbidden|jwt expired|token (has )?expired)\b/i, 'AUTH_FAILED'],
  [/\b(rate.?limit(ed)?|too many requests)\b/i, 'RATE_LIMITED'],
  [/\b(socket hang up|connection (lost|reset)|unexpected server response)\b/i, 'CONNECTION_LOST'],
  [/\b(not open|already closed|readyState|websocket is (closing|closed))\b/i, 'CONNECTION_CLOSED'],
  [/\btimed? ?out\b/i, 'CONNECTION_TIMEOUT'],
];

/**
 * Sorts an error into a `WebSocketErrorType` by, in order: our own `WebSocketError` type, a
 * string code (socket errno, OAuth `error`), a WebSocket close code, an HTTP status, and last
 * the message. Looks one level into `cause` when the error itself says nothing.
 */
export function classifyWebSocketError(error: unknown): WebSocketErrorType {
  const own = classifyOne(error);
  if (own !== 'UNKNOWN' || error === null || typeof error !== 'object') return own;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined || cause === error ? own : classifyOne(cause);
}

function classifyOne(error: unknown): WebSocketErrorType {
  if (error === null || typeof error !== 'object') return 'UNKNOWN';
  const e = error as Record<string, unknown>;
  for (const field of [e.type, e.code]) {
    if (typeof field === 'string' && field !== 'UNKNOWN' && (WEBSOCKET_ERROR_TYPES as readonly string[]).includes(field)) {
      return field as WebSocketErrorType;
    }
  }
  for (const field of [e.code, e.error]) {
    if (typeof field === 'string' && Object.hasOwn(BY_CODE, field)) return BY_CODE[field];
  }
  const closeCode = typeof e.closeCode === 'number' ? e.closeCode : typeof e.code === 'number' ? e.code : undefined;
  const fromClose = closeCode === undefined ? undefined : byCloseCode(closeCode);
  if (fromClose !== undefined) return fromClose;
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const fromStatus = status === undefined ? undefined : byStatus(status);
  if (fromStatus !== undefined) return fromStatus;
  if (typeof e.message === 'string') {
    for (const [pattern, type] of MESSAGE_RULES) if (pattern.test(e.message)) return type;
  }
  return 'UNKNOWN';
}

/**
 * Default `isRetryable` of the WebSocket family: lost connections, timeouts and rate limits are
 * retried (a rate limit's `retryAfterMs` is honoured); a deliberately closed socket and auth
 * failures never are; anything else falls back to `isTransientError`.
 */
export function isRetryableWebSocketError(error: unknown): boolean {
  const type = classifyWebSocketError(error);
  if (type === 'CONNECTION_LOST' || type === 'CONNECTION_TIMEOUT' || type === 'RATE_LIMITED') return true;
  if (type === 'CONNECTION_CLOSED' || type === 'AUTH_FAILED') return false;
  return isTransientError(error);
}
