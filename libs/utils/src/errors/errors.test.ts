import { AttemptTimeoutError, isAttemptTimeoutError } from './AttemptTimeoutError';
import { CircuitOpenError, isCircuitOpenError } from './CircuitOpenError';
import { ConcurrencyLimitError, isConcurrencyLimitError } from './ConcurrencyLimitError';
import { isRetryAbortedError, RetryAbortedError } from './RetryAbortedError';
import { isRetryExhaustedError, RetryExhaustedError } from './RetryExhaustedError';

describe('typed errors', () => {
  it('carry stable codes, fields and causes, and their guards reject other errors', () => {
    const cause = new Error('last');
    const cases: Array<[Error, (e: unknown) => boolean, Record<string, unknown>]> = [
      [new CircuitOpenError('pg', 1_500, { cause }), isCircuitOpenError, { code: 'CIRCUIT_OPEN', breakerKey: 'pg', retryAfterMs: 1_500, state: 'open', cause }],
      [new RetryExhaustedError('op', 4, cause), isRetryExhaustedError, { code: 'RETRY_EXHAUSTED', attempts: 4, reason: 'max_retries', cause }],
      [new AttemptTimeoutError('op', 250), isAttemptTimeoutError, { code: 'ATTEMPT_TIMEOUT', timeoutMs: 250, name: 'TimeoutError' }],
      [new RetryAbortedError('op', cause), isRetryAbortedError, { code: 'RETRY_ABORTED', cause }],
      [new ConcurrencyLimitError('c', 3), isConcurrencyLimitError, { code: 'CONCURRENCY_LIMIT', limit: 3 }],
    ];
    for (const [error, guard, fields] of cases) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject(fields);
      expect(guard(error)).toBe(true);
      expect(guard(new Error('other'))).toBe(false);
      expect(guard({ code: fields.code })).toBe(false);
    }
    expect(new RetryExhaustedError('op', 1, cause).message).toBe('"op" failed after 1 attempt (max_retries)');
  });
});
