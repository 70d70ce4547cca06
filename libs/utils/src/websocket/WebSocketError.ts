import type { WebSocketErrorType } from './classifyWebSocketError';

/**
 * An error of the WebSocket family with a stable `code` (one of the seed's error types), e.g.
 * `CONNECTION_CLOSED` when the health check says the socket is gone.
 */
export class WebSocketError extends Error {
  readonly code: WebSocketErrorType;
  /** Same as `code`; the classifier reads either. */
  readonly type: WebSocketErrorType;
  readonly connectionId: string;

  constructor(type: WebSocketErrorType, connectionId: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'WebSocketError';
    this.code = type;
    this.type = type;
    this.connectionId = connectionId;
  }
}

export function isWebSocketError(error: unknown): error is WebSocketError {
  return error instanceof WebSocketError;
}
