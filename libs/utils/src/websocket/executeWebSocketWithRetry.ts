import type { IMetricsCollector } from '@libs/monitoring';
import { ConcurrencyLimitError } from '../errors/ConcurrencyLimitError';
import { registryOf } from '../retry/resolveSettings';
import { runWebSocketOperation } from './runWebSocketOperation';
import {
  DEFAULT_WEBSOCKET_RETRY_OPTIONS,
  type WebSocketErrorContext,
  type WebSocketRetryContext,
  type WebSocketRetryOptions,
} from './WebSocketRetryOptions';

/**
 * `executeWithRetry` for work bound to one WebSocket connection: the circuit breaker is the
 * connection's own (one bad socket does not open the breaker for everyone), a connection runs
 * at most `maxConcurrentOperations` operations at once (the next is rejected with
 * `ConcurrencyLimitError`), `healthCheck` is asked before each retry, and real-time operations
 * stop retrying after `gracePeriod`. Call `releaseConnection(connectionId)` when the socket closes.
 */
export async function executeWebSocketWithRetry<T>(
  fn: (context: WebSocketRetryContext) => Promise<T>,
  onError: ((error: unknown, context: WebSocketErrorContext, attempt: number) => void) | undefined,
  connectionId: string,
  options?: WebSocketRetryOptions,
  metrics?: IMetricsCollector,
): Promise<T> {
  const connection = registryOf(options).connections.get(connectionId);
  const limit = Math.max(1, Math.floor(options?.maxConcurrentOperations ?? DEFAULT_WEBSOCKET_RETRY_OPTIONS.maxConcurrentOperations));
  if (connection.inFlight >= limit) {
    if (metrics !== undefined) metrics.incrementEvent('websocket.concurrency_rejected');
    throw new ConcurrencyLimitError(connectionId, limit);
  }
  connection.inFlight++;
  try {
    return await runWebSocketOperation(fn, onError, connection, 'operations', options, DEFAULT_WEBSOCKET_RETRY_OPTIONS, undefined, metrics);
  } finally {
    connection.inFlight--;
  }
}
