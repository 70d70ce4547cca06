import { z } from 'zod';

/** `/ws` limits and timings; merged into the app's config schema. */
export const wsConfigShape = {
  /** Open sockets per instance. */
  WS_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Open sockets per user per instance. */
  WS_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Ping interval; a socket that has not answered the previous ping is dropped. */
  WS_HEARTBEAT_MS: z.coerce.number().int().min(50).max(600_000).default(30_000),
  /** Send buffer bound: a client past it is closed with 1013. */
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1_024).max(1 << 30).default(1 << 20),
  /** Upstream tokens are refreshed this long before the access token expires. */
  WS_REFRESH_SKEW_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** While the IdP is down, sockets stay open until the access token's expiry plus this. */
  WS_REFRESH_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** Operations one socket may run at once; one more is answered `TOO_MANY_OPERATIONS`. */
  WS_MAX_OPERATIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(1_000).default(8),
  /** Malformed requests (bad JSON, no id, unknown op, too large) a socket may send before it is closed with 1008. */
  WS_MAX_BAD_FRAMES: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Largest request frame; a larger one is answered `REQUEST_TOO_LARGE` (frames past 64 KiB close the socket, 1009). */
  WS_MAX_REQUEST_BYTES: z.coerce.number().int().min(64).max(65_536).default(8_192),
  /** An operation's retries may start until this long after it began. */
  WS_OPERATION_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
};
