/** The JSON body every error response has: a stable `code` and a human-readable `message`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface HttpErrorShape {
  status: number;
  body: ErrorBody;
  /** Seconds, for 429 and 503 answers. */
  retryAfter?: number;
}

/** Error codes of a dependency outage: the client should retry later, never re-authenticate. */
const UNAVAILABLE_CODES = new Set(['CIRCUIT_OPEN', 'TRANSIENT', 'TIMEOUT', 'RETRY_EXHAUSTED', 'ATTEMPT_TIMEOUT', 'DATABASE_UNAVAILABLE']);

interface CodedError {
  code?: unknown;
  statusCode?: unknown;
  retryAfterMs?: unknown;
  message?: unknown;
  issues?: unknown;
  name?: unknown;
  cause?: unknown;
}

function asCoded(error: unknown): CodedError {
  return typeof error === 'object' && error !== null ? (error as CodedError) : {};
}

/** Walks `cause` links (bounded) looking for a dependency-outage code. */
export function outageOf(error: unknown): CodedError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const coded = asCoded(current);
    if (typeof coded.code === 'string' && UNAVAILABLE_CODES.has(coded.code)) return coded;
    current = coded.cause;
  }
  return undefined;
}

const body = (code: string, message: string, details?: unknown): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/**
 * Maps any thrown value to an HTTP answer. Outages become a fast 503 with Retry-After (never a
 * 401, never fail-open); bad input a 4xx with a code; anything else a 500 that reveals nothing.
 */
export function toHttpError(error: unknown): HttpErrorShape {
  const outage = outageOf(error);
  if (outage) {
    const ms = typeof outage.retryAfterMs === 'number' && outage.retryAfterMs > 0 ? outage.retryAfterMs : 1_000;
    return {
      status: 503,
      body: body('SERVICE_UNAVAILABLE', 'A dependency is unavailable; retry later.'),
      retryAfter: Math.max(1, Math.ceil(ms / 1_000)),
    };
  }
  const coded = asCoded(error);
  // @fastify/under-pressure (event loop delay past its bound, e.g. right after start on a loaded
  // machine) and any other plugin refusing with 503: overloaded, retry later — never a 500.
  if (coded.code === 'FST_UNDER_PRESSURE' || coded.statusCode === 503) {
    return { status: 503, body: body('OVERLOADED', 'The server is overloaded; retry later.'), retryAfter: 1 };
  }
  if (coded.name === 'ZodError' && Array.isArray(coded.issues)) {
    const issues = (coded.issues as Array<{ path: unknown[]; message: string }>).map((i) => ({ path: i.path.join('.'), message: i.message }));
    return { status: 400, body: body('VALIDATION', 'The request is invalid.', issues) };
  }
  if (coded.code === 'VALIDATION') {
    return { status: 400, body: body('VALIDATION', typeof coded.message === 'string' ? coded.message : 'The request is invalid.') };
  }
  const status = typeof coded.statusCode === 'number' ? coded.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = fastifyCode(coded.code) ?? 'BAD_REQUEST';
    const message = typeof coded.message === 'string' ? coded.message : 'Bad request';
    return { status, body: body(code, message) };
  }
  return { status: 500, body: body('INTERNAL', 'Internal error') };
}

/** Fastify's own client-error codes, renamed to ours. */
function fastifyCode(code: unknown): string | undefined {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'INVALID_JSON';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'BODY_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 'FST_ERR_VALIDATION':
      return 'VALIDATION';
    default:
      return typeof code === 'string' && /^[A-Z_]+$/.test(code) && !code.startsWith('FST_') ? code : undefined;
  }
}
