import type { IMetricsCollector } from '@libs/monitoring';
import { stateName } from '../breaker/ManagedBreaker';
import { breakerOptionsOf, resolveSettings } from '../retry/resolveSettings';
import { runWithRetry } from '../retry/runWithRetry';
import { classifyWebSocketError } from './classifyWebSocketError';
import type { ConnectionState } from './ConnectionRegistry';
import { WebSocketAttemptContext } from './WebSocketAttemptContext';
import { WebSocketError } from './WebSocketError';
import type {
  WebSocketDefaults,
  WebSocketErrorContext,
  WebSocketRetryContext,
  WebSocketRetryOptions,
} from './WebSocketRetryOptions';

/**
 * The part shared by `executeWebSocketWithRetry` and `executeWebSocketTokenRefresh`: settings
 * with a per-connection breaker (kind `breakerKind`), a deadline for real-time work, the health
 * check before retries, and `onError` called with the WebSocket context.
 */
export function runWebSocketOperation<T>(
  fn: (context: WebSocketRetryContext) => Promise<T>,
  onError: ((error: unknown, context: WebSocketErrorContext, attempt: number) => void) | undefined,
  connection: ConnectionState,
  breakerKind: string,
  options: WebSocketRetryOptions | undefined,
  defaults: Readonly<WebSocketDefaults>,
  deadlineEpochMs: number | undefined,
  metrics: IMetricsCollector | undefined,
): Promise<T> {
  const o = options ?? {};
  // The budget is shared by every connection (it protects the dependency); the breaker is not.
  const settings = resolveSettings(
    { ...o, enableCircuitBreaker: false, breakerKey: `websocket:${o.breakerKey ?? o.operationName ?? defaults.operationName}` },
    defaults,
  );
  if (o.enableCircuitBreaker ?? defaults.enableCircuitBreaker) {
    const logger = o.logger;
    settings.breaker = connection.existingBreaker(breakerKind);
    // Created on the first retryable failure only (see RetrySettings.createBreaker).
    settings.createBreaker = () => {
      const breaker = connection.breaker(
        breakerKind,
        breakerOptionsOf(o, defaults),
        // Per-connection state changes are counted, not labelled per connection (unbounded).
        metrics === undefined
          ? undefined
          : (created) =>
              created.policy.onStateChange((state) => {
                try {
                  metrics.incrementEvent(`websocket.breaker.${breakerKind}.${stateName(state)}`);
                } catch {
                  /* metrics must not fail the call */
                }
              }),
      );
      if (logger !== undefined) breaker.attach(undefined, logger);
      return breaker;
    };
    if (settings.breaker !== undefined && logger !== undefined) settings.breaker.attach(undefined, logger);
  }
  const started = performance.now();
  const isRealTime = o.isRealTime ?? defaults.isRealTime;
  const gracePeriod = Math.max(0, o.gracePeriod ?? defaults.gracePeriod);
  if (deadlineEpochMs !== undefined) settings.deadline = started + (deadlineEpochMs + gracePeriod - Date.now());
  else if (isRealTime) settings.deadline = started + gracePeriod;

  const healthCheck = o.healthCheck;
  if (healthCheck !== undefined) {
    settings.beforeRetry = async () => {
      let healthy: boolean;
      try {
        healthy = (await boundedCheck(healthCheck, connection.id, settings.attemptTimeoutMs)) === true;
      } catch {
        healthy = false;
      }
      if (!healthy) {
        if (metrics !== undefined) metrics.incrementEvent('websocket.health_check_failed');
        throw new WebSocketError('CONNECTION_CLOSED', connection.id, 'connection failed its health check; not retrying');
      }
    };
  }

  const isRetryable = settings.isRetryable;
  const maxRetries = settings.maxRetries;
  const report =
    onError === undefined
      ? undefined
      : (error: unknown, attempt: number): void => {
          let willRetry = false;
          try {
            willRetry = attempt <= maxRetries && isRetryable(error) === true;
          } catch {
            /* classifier failure: reported as not retrying */
          }
          onError(
            error,
            {
              connectionId: connection.id,
              operationName: settings.operationName,
              errorType: classifyWebSocketError(error),
              willRetry,
              isRealTime,
              elapsedMs: performance.now() - started,
            },
            attempt,
          );
        };
  const connectionId = connection.id;
  return runWithRetry(fn, (attempt, source) => new WebSocketAttemptContext(attempt, source, connectionId), report, settings, metrics);
}

/** A health check that hangs counts as unhealthy after `timeoutMs` (the attempt timeout), if set. */
function boundedCheck(
  check: (connectionId: string) => boolean | Promise<boolean>,
  connectionId: string,
  timeoutMs: number | undefined,
): Promise<boolean> {
  const result = Promise.resolve(check(connectionId));
  if (timeoutMs === undefined) return result;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  return Promise.race([result, timeout]).finally(() => clearTimeout(timer));
}
