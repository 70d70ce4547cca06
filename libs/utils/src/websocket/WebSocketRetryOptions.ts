import { DEFAULT_RETRY_OPTIONS, type RetryContext, type RetryDefaults, type RetryOptions } from '../retry/RetryOptions';
import { isRetryableWebSocketError, type WebSocketErrorType } from './classifyWebSocketError';

/** What a WebSocket operation receives on each attempt. */
export interface WebSocketRetryContext extends RetryContext {
  readonly connectionId: string;
}

/** Passed to `onError(error, context, attempt)` of the WebSocket family. */
export interface WebSocketErrorContext {
  connectionId: string;
  operationName: string;
  /** The classifier's verdict for this error. */
  errorType: WebSocketErrorType;
  /** Whether another attempt may follow (false: the error will be thrown). */
  willRetry: boolean;
  isRealTime: boolean;
  /** Milliseconds since the call started. */
  elapsedMs: number;
}

/**
 * Options of `executeWebSocketWithRetry`. `breakerKey` names the retry budget (shared by all
 * connections); the circuit breaker is per connection.
 */
export interface WebSocketRetryOptions extends RetryOptions {
  /** @default 'websocket' */
  operationName?: string;
  /** @default 2_000 */
  maxDelayMs?: number;
  /** @default isRetryableWebSocketError */
  isRetryable?: (error: unknown) => boolean;
  /**
   * The result is only useful soon (a live update, a token the client is waiting for): no retry
   * starts later than `gracePeriod` after the call began, and the loop ends with
   * `RetryExhaustedError` (reason `deadline`) instead.
   * @default false
   */
  isRealTime?: boolean;
  /**
   * Window, in milliseconds, in which a real-time operation may still retry.
   * @default 5_000
   */
  gracePeriod?: number;
  /**
   * Asked before every retry (not before the first attempt); false or a throw ends the call
   * with `WebSocketError` `CONNECTION_CLOSED` — retrying on a dead socket is wasted work.
   * @default undefined (no check)
   */
  healthCheck?: (connectionId: string) => boolean | Promise<boolean>;
  /**
   * Operations one connection may run at once; one more is rejected at once with
   * `ConcurrencyLimitError` (never queued).
   * @default 10
   */
  maxConcurrentOperations?: number;
  /**
   * The breaker is the connection's own and one socket's calls are few: one trial decides.
   * @default 1
   */
  circuitBreakerHalfOpenCalls?: number;
}

export interface WebSocketDefaults extends RetryDefaults {
  isRealTime: boolean;
  gracePeriod: number;
  maxConcurrentOperations: number;
}

export const DEFAULT_WEBSOCKET_RETRY_OPTIONS: Readonly<WebSocketDefaults> = {
  ...DEFAULT_RETRY_OPTIONS,
  operationName: 'websocket',
  maxDelayMs: 2_000,
  isRetryable: isRetryableWebSocketError,
  isRealTime: false,
  gracePeriod: 5_000,
  maxConcurrentOperations: 10,
  circuitBreakerHalfOpenCalls: 1,
};

/** Options of `executeWebSocketTokenRefresh`. */
export interface WebSocketTokenRefreshOptions extends WebSocketRetryOptions {
  /** @default 'websocket_token_refresh' */
  operationName?: string;
  /** @default 200 */
  baseDelayMs?: number;
  /**
   * Auth servers are shared and slow to recover: open sooner than the default 5.
   * @default 3
   */
  circuitBreakerThreshold?: number;
  /**
   * … and wait longer than the default 1 s before the first trial (an auth server's rate
   * limiter punishes a quick return).
   * @default 60_000
   */
  circuitBreakerResetMs?: number;
  /**
   * Longest wait between trials while they keep failing.
   * @default 300_000
   */
  circuitBreakerMaxResetMs?: number;
  /** @default true */
  isRealTime?: boolean;
  /**
   * With `tokenExpiresAt`: retries may start until the expiry plus this; without it: until the
   * call's start plus this.
   * @default 10_000
   */
  gracePeriod?: number;
  /**
   * When the current token expires (epoch ms or Date); past it plus `gracePeriod` a refresh is
   * pointless — the client must re-authenticate — so no retry starts.
   * @default undefined
   */
  tokenExpiresAt?: number | Date;
}

export const DEFAULT_WEBSOCKET_TOKEN_REFRESH_OPTIONS: Readonly<WebSocketDefaults> = {
  ...DEFAULT_WEBSOCKET_RETRY_OPTIONS,
  operationName: 'websocket_token_refresh',
  baseDelayMs: 200,
  circuitBreakerThreshold: 3,
  circuitBreakerResetMs: 60_000,
  circuitBreakerMaxResetMs: 300_000,
  isRealTime: true,
  gracePeriod: 10_000,
};
