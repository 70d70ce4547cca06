import { errorWith } from '../testing/errorWith';
import { classifyWebSocketError, isRetryableWebSocketError, type WebSocketErrorType } from './classifyWebSocketError';
import { WebSocketError, isWebSocketError } from './WebSocketError';

describe('classifyWebSocketError', () => {
  it.each<[string, unknown, WebSocketErrorType]>([
    ['our WebSocketError', new WebSocketError('RATE_LIMITED', 'c1', 'slow down'), 'RATE_LIMITED'],
    ['a code naming a type', errorWith({ code: 'CONNECTION_CLOSED' }), 'CONNECTION_CLOSED'],
    ['ECONNRESET', errorWith({ code: 'ECONNRESET' }), 'CONNECTION_LOST'],
    ['EPIPE', errorWith({ code: 'EPIPE' }), 'CONNECTION_LOST'],
    ['ETIMEDOUT', errorWith({ code: 'ETIMEDOUT' }), 'CONNECTION_TIMEOUT'],
    ['our attempt timeout', errorWith({ code: 'ATTEMPT_TIMEOUT' }), 'CONNECTION_TIMEOUT'],
    ['OAuth invalid_grant as code', errorWith({ code: 'invalid_grant' }), 'AUTH_FAILED'],
    ['OAuth invalid_grant as error field', errorWith({ error: 'invalid_grant' }), 'AUTH_FAILED'],
    ['OAuth slow_down', errorWith({ error: 'slow_down' }), 'RATE_LIMITED'],
    ['close 1000', errorWith({ closeCode: 1000 }), 'CONNECTION_CLOSED'],
    ['close 1001', errorWith({ code: 1001 }), 'CONNECTION_CLOSED'],
    ['close 1006', errorWith({ closeCode: 1006 }), 'CONNECTION_LOST'],
    ['close 1013', errorWith({ closeCode: 1013 }), 'RATE_LIMITED'],
    ['close 1008', errorWith({ closeCode: 1008 }), 'AUTH_FAILED'],
    ['close 4401', errorWith({ closeCode: 4401 }), 'AUTH_FAILED'],
    ['HTTP 401', errorWith({ status: 401 }), 'AUTH_FAILED'],
    ['HTTP 403', errorWith({ statusCode: 403 }), 'AUTH_FAILED'],
    ['HTTP 429', errorWith({ status: 429 }), 'RATE_LIMITED'],
    ['HTTP 504', errorWith({ status: 504 }), 'CONNECTION_TIMEOUT'],
    ['HTTP 503', errorWith({ status: 503 }), 'CONNECTION_LOST'],
    ['message: socket hang up', new Error('socket hang up'), 'CONNECTION_LOST'],
    ['message: WebSocket is not open', new Error('WebSocket is not open: readyState 3 (CLOSED)'), 'CONNECTION_CLOSED'],
    ['message: request timed out', new Error('request timed out'), 'CONNECTION_TIMEOUT'],
    ['message: rate limit', new Error('Rate limit exceeded'), 'RATE_LIMITED'],
    ['message: jwt expired', new Error('jwt expired'), 'AUTH_FAILED'],
    ['cause carries the reason', new Error('refresh failed', { cause: errorWith({ error: 'invalid_grant' }) }), 'AUTH_FAILED'],
    ['anything else', new Error('something odd'), 'UNKNOWN'],
    ['not an object', 42, 'UNKNOWN'],
  ])('%s → %s', (_label, error, expected) => {
    expect(classifyWebSocketError(error)).toBe(expected);
  });
});

describe('isRetryableWebSocketError', () => {
  it('retries lost connections, timeouts and rate limits', () => {
    expect(isRetryableWebSocketError(errorWith({ closeCode: 1006 }))).toBe(true);
    expect(isRetryableWebSocketError(errorWith({ code: 'ETIMEDOUT' }))).toBe(true);
    expect(isRetryableWebSocketError(errorWith({ status: 429 }))).toBe(true);
  });

  it('never retries closed sockets or auth failures', () => {
    expect(isRetryableWebSocketError(errorWith({ closeCode: 1000 }))).toBe(false);
    expect(isRetryableWebSocketError(errorWith({ error: 'invalid_grant' }))).toBe(false);
    expect(isRetryableWebSocketError(errorWith({ status: 401 }))).toBe(false);
  });

  it('falls back to isTransientError for unknown errors', () => {
    expect(isRetryableWebSocketError(errorWith({ code: 'P1001' }))).toBe(true);
    expect(isRetryableWebSocketError(errorWith({ code: 'P2002' }))).toBe(false);
  });

  it('WebSocketError has a stable code and a type guard', () => {
    const error = new WebSocketError('CONNECTION_CLOSED', 'c9', 'gone', { cause: 'x' });
    expect(isWebSocketError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONNECTION_CLOSED', type: 'CONNECTION_CLOSED', connectionId: 'c9', cause: 'x', name: 'WebSocketError' });
    expect(isWebSocketError(new Error('x'))).toBe(false);
  });
});
