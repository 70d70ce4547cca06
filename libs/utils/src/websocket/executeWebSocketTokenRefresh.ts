import type { IMetricsCollector } from '@libs/monitoring';
import { registryOf } from '../retry/resolveSettings';
import { runWebSocketOperation } from './runWebSocketOperation';
import {
  DEFAULT_WEBSOCKET_TOKEN_REFRESH_OPTIONS,
  type WebSocketErrorContext,
  type WebSocketRetryContext,
  type WebSocketTokenRefreshOptions,
} from './WebSocketRetryOptions';

/**
 * Refreshes a connection's tokens with retry (seed Example 4). At most one refresh per
 * connection runs at a time: concurrent callers get the in-flight promise (and its result or
 * error) instead of starting their own — refresh tokens are often single-use, so a second
 * concurrent refresh would fail with `invalid_grant` or, worse, revoke the session.
 * Authorization failures (`invalid_grant`, 401/403 …) fail at once; the connection's
 * token-refresh breaker opens sooner and recovers later than the default; no retry starts past
 * `tokenExpiresAt + gracePeriod` (or the call's start + `gracePeriod`).
 *
 * Only the caller that started the refresh has its `fn`, `onError` and options used.
 */
export function executeWebSocketTokenRefresh<T>(
  fn: (context: WebSocketRetryContext) => Promise<T>,
  onError: ((error: unknown, context: WebSocketErrorContext, attempt: number) => void) | undefined,
  connectionId: string,
  options?: WebSocketTokenRefreshOptions,
  metrics?: IMetricsCollector,
): Promise<T> {
  const connection = registryOf(options).connections.get(connectionId);
  if (connection.refresh !== undefined) {
    if (metrics !== undefined) metrics.incrementEvent('websocket.token_refresh_shared');
    return connection.refresh as Promise<T>;
  }
  const expiresAt = options?.tokenExpiresAt;
  const deadline = expiresAt === undefined ? undefined : typeof expiresAt === 'number' ? expiresAt : expiresAt.getTime();
  let refresh: Promise<T>;
  try {
    refresh = runWebSocketOperation(fn, onError, connection, 'token_refresh', options, DEFAULT_WEBSOCKET_TOKEN_REFRESH_OPTIONS, deadline, metrics);
  } catch (error) {
    return Promise.reject(error);
  }
  const shared = refresh.finally(() => {
    // Only clear our own promise: releaseConnection + a new refresh may have replaced it.
    if (connection.refresh === shared) connection.refresh = undefined;
  });
  connection.refresh = shared;
  return shared;
}
