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
