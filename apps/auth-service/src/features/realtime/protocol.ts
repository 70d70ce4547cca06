/** What an API key must be granted to open `/ws` (and keep it open). Sessions need no permission. */
export const WS_CONNECT_PERMISSION = 'realtime:connect';

/**
 * `/ws` close codes (documented in the README). 4000–4999 are the application's range; 1012
 * and 1013 are registered codes clients already treat as "reconnect" and "back off".
 */
export const CLOSE_CODES = {
  /** The app session expired. Sign in again. */
  SESSION_EXPIRED: 4001,
  /** The session was ended: sign-out, revoked, password changed, back-channel logout. */
  SESSION_REVOKED: 4003,
  /** The user may not act any more (banned, suspended, deleted). */
  USER_BANNED: 4004,
  /** Upstream tokens could not be refreshed: `invalid_grant`, or the IdP stayed down past the grace period. */
  REFRESH_FAILED: 4005,
  /** The API key was revoked, disabled, deleted or expired. */
  KEY_REVOKED: 4006,
  /** The credential no longer grants `realtime:connect` (the key was narrowed, or its owner's role no longer holds it). */
  PERMISSION_REVOKED: 4007,
  /** The server is shutting down: reconnect (to another instance). */
  SERVER_DRAINING: 1012,
  /** The client reads too slowly (send buffer past its bound) or a connection cap was hit. */
  TRY_AGAIN_LATER: 1013,
  /** The client sent `WS_MAX_BAD_FRAMES` malformed requests (bad JSON, no id, unknown op, too large). */
  POLICY_VIOLATION: 1008,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

/** Server → client messages: `{ type, data, ts }` (ts = epoch ms). */
export type ServerMessage =
  | { type: 'welcome'; data: { connectionId: string; userId: string; sessionId: string | null; accessTokenExpiresAt: string | null }; ts: number }
  | { type: 'token_refreshed'; data: { accessTokenExpiresAt: string }; ts: number }
  | { type: 'session_expiring'; data: { reason: 'idp_unavailable'; closesAt: string }; ts: number }
  | { type: 'session_ended'; data: { reason: EndedReason }; ts: number };

/** Why a socket was closed for access (the `session_ended` frame's `reason`). */
export type EndedReason = 'refresh_failed' | 'revoked' | 'expired' | 'banned' | 'key_revoked' | 'permission_revoked';

export function envelope<T extends ServerMessage['type']>(type: T, data: Extract<ServerMessage, { type: T }>['data'], now = Date.now()): string {
  return JSON.stringify({ type, data, ts: now });
}

/** A session's end reason (`UserSession.endReason`) → the close code its sockets get. */
export function closeCodeForEndReason(reason: string | null | undefined): CloseCode {
  if (reason === 'banned' || reason === 'suspended') return CLOSE_CODES.USER_BANNED;
  if (reason === 'upstream_invalid_grant') return CLOSE_CODES.REFRESH_FAILED;
  if (reason === 'expired') return CLOSE_CODES.SESSION_EXPIRED;
  return CLOSE_CODES.SESSION_REVOKED;
}

/** The `session_ended` reason that goes with a close code. */
export function endedReasonOf(code: CloseCode): EndedReason {
  if (code === CLOSE_CODES.REFRESH_FAILED) return 'refresh_failed';
  if (code === CLOSE_CODES.KEY_REVOKED) return 'key_revoked';
  if (code === CLOSE_CODES.PERMISSION_REVOKED) return 'permission_revoked';
  if (code === CLOSE_CODES.SESSION_EXPIRED) return 'expired';
  if (code === CLOSE_CODES.USER_BANNED) return 'banned';
  return 'revoked';
}

/** Client → server: one operation request. `id` (a non-empty string or a number) is echoed in the answer. */
export interface ClientRequest {
  id: string | number;
  op: string;
  data?: unknown;
}

/**
 * The `code` of an `error` answer (documented in the README). Besides these, a permission
 * refusal answers the access core's own code (`PERMISSION_DENIED` / `INSUFFICIENT_SCOPE`).
 */
export const OPERATION_ERRORS = {
  /** The frame is not JSON, or binary. Counts towards `WS_MAX_BAD_FRAMES`. */
  BAD_JSON: 'BAD_JSON',
  /** Not `{ id, op, data? }`: no id, or `op` not a string. Counts towards `WS_MAX_BAD_FRAMES`. */
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** Larger than `WS_MAX_REQUEST_BYTES`. Counts towards `WS_MAX_BAD_FRAMES`. */
  REQUEST_TOO_LARGE: 'REQUEST_TOO_LARGE',
  /** No operation of that name. Counts towards `WS_MAX_BAD_FRAMES`. */
  UNKNOWN_OPERATION: 'UNKNOWN_OPERATION',
  /** The socket already runs `WS_MAX_OPERATIONS_PER_CONNECTION` operations: send it again later. */
  TOO_MANY_OPERATIONS: 'TOO_MANY_OPERATIONS',
  /** The operation failed on this socket repeatedly; its breaker is open for `retryAfterMs`. */
  OPERATION_UNAVAILABLE: 'OPERATION_UNAVAILABLE',
  /** The socket's credential was revoked or it is closing: nothing runs on it any more. */
  ACCESS_ENDED: 'ACCESS_ENDED',
  /** `session.*` on a socket opened with an API key. */
  NO_SESSION: 'NO_SESSION',
  /** `session.refresh` on a session without upstream (IdP) tokens, or no IdP configured. */
  NO_UPSTREAM_TOKENS: 'NO_UPSTREAM_TOKENS',
  /** The IdP could not be reached; the socket stays until the token's expiry plus the grace period. */
  IDP_UNAVAILABLE: 'IDP_UNAVAILABLE',
  /** The operation failed (details are logged, not sent). */
  OPERATION_FAILED: 'OPERATION_FAILED',
} as const;

export type OperationErrorCode = (typeof OPERATION_ERRORS)[keyof typeof OPERATION_ERRORS] | 'PERMISSION_DENIED' | 'INSUFFICIENT_SCOPE';

/** Answers to a request: `{ type: 'result', id, data }` or `{ type: 'error', id, error: { code, message } }` (id null when the request had none). */
export type OperationAnswer =
  | { type: 'result'; id: string | number; data: unknown }
  | { type: 'error'; id: string | number | null; error: { code: OperationErrorCode; message: string; retryAfterMs?: number } };

export function resultFrame(id: string | number, data: unknown): string {
  return JSON.stringify({ type: 'result', id, data: data ?? null });
}

export function errorFrame(id: string | number | null, code: OperationErrorCode, message: string, retryAfterMs?: number): string {
  return JSON.stringify({ type: 'error', id, error: retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs } });
}

/** A frame that is not a request: the error answer to send (with the id when one could be read). */
export interface BadFrame {
  id: string | number | null;
  code: OperationErrorCode;
  message: string;
}

const validId = (id: unknown): id is string | number => (typeof id === 'string' && id.length > 0 && id.length <= 128) || (typeof id === 'number' && Number.isFinite(id));

/** Reads one client frame as a request, or says why it is not one. */
export function parseRequest(raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean, maxBytes: number): ClientRequest | BadFrame {
  const bytes = Array.isArray(raw) ? raw.reduce((n, b) => n + b.length, 0) : raw.byteLength;
  if (bytes > maxBytes) return { id: null, code: OPERATION_ERRORS.REQUEST_TOO_LARGE, message: `Requests may be at most ${maxBytes} bytes.` };
  if (isBinary) return { id: null, code: OPERATION_ERRORS.BAD_JSON, message: 'Requests are JSON text frames.' };
  let value: unknown;
  try {
    value = JSON.parse(Array.isArray(raw) ? Buffer.concat(raw).toString() : Buffer.from(raw as ArrayBuffer).toString());
  } catch {
    return { id: null, code: OPERATION_ERRORS.BAD_JSON, message: 'The frame is not JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { id: null, code: OPERATION_ERRORS.INVALID_REQUEST, message: 'A request is an object { id, op, data? }.' };
  const { id, op, data } = value as Record<string, unknown>;
  if (!validId(id)) return { id: null, code: OPERATION_ERRORS.INVALID_REQUEST, message: 'A request needs an id (a string of 1–128 characters, or a number).' };
  if (typeof op !== 'string' || op.length === 0) return { id, code: OPERATION_ERRORS.INVALID_REQUEST, message: 'A request needs an op (a string).' };
  return { id, op, data };
}

export const isBadFrame = (parsed: ClientRequest | BadFrame): parsed is BadFrame => 'code' in parsed;
