import { CircuitOpenError } from '../errors/CircuitOpenError';
import { RetryExhaustedError } from '../errors/RetryExhaustedError';
import { listCircuitBreakers } from '../registry/defaultRegistry';
import { executeWithRetry } from '../retry/executeWithRetry';
import { errorWith } from '../testing/errorWith';
import { noJitter, settle, useFakeRetryTime } from '../testing/retryTestKit';
import { hasSpentRetrySchedule } from './hasSpentRetrySchedule';

describe('hasSpentRetrySchedule', () => {
  it('recognises an inner schedule that ran out or was refused, also behind a wrapper that says retryable', () => {
    const exhausted = new RetryExhaustedError('inner', 4, errorWith({ code: 'ECONNREFUSED' }));
    expect(hasSpentRetrySchedule(exhausted)).toBe(true);
    expect(hasSpentRetrySchedule(new CircuitOpenError('pg', 100))).toBe(true);
    // e.g. a repository's RepositoryError { code: 'TRANSIENT', cause: RetryExhaustedError }
    expect(hasSpentRetrySchedule(Object.assign(new Error('mapped'), { code: 'TRANSIENT', retryable: true, cause: exhausted }))).toBe(true);
    expect(hasSpentRetrySchedule(errorWith({ code: 'ECONNREFUSED' }))).toBe(false);
    expect(hasSpentRetrySchedule(undefined)).toBe(false);
  });
});

describe('nested executeWithRetry', () => {
  useFakeRetryTime();

  it('an outer loop around an inner one on a dead dependency costs one schedule, not the product', async () => {
    let attempts = 0;
    const dead = async (): Promise<never> => {
      attempts++;
      throw errorWith({ code: 'ECONNREFUSED' });
    };
    // What a repository does: its own schedule, then a wrapper error that still says "retryable".
    const repositoryCall = () =>
      executeWithRetry(dead, undefined, { operationName: 'db.apiKey.validate', maxRetries: 3, baseDelayMs: 10, ...noJitter }).catch((error: unknown) => {
        throw Object.assign(new Error('apiKey.validate: gave up'), { code: 'TRANSIENT', retryable: true, cause: error });
      });
    const outer = await settle(executeWithRetry(repositoryCall, undefined, { operationName: 'auth.validateApiKey', maxRetries: 5, baseDelayMs: 10, ...noJitter }));
    expect(attempts).toBe(4);
    // Rethrown as the inner layer threw it: the caller still sees the repository's error.
    expect(outer.error).toMatchObject({ code: 'TRANSIENT', cause: { code: 'RETRY_EXHAUSTED', attempts: 4 } });
  });

  it('the outer breaker does not count the inner schedule’s failures (only the innermost breaker decides)', async () => {
    const inner = () =>
      executeWithRetry(
        async () => {
          throw errorWith({ code: 'ECONNREFUSED' });
        },
        undefined,
        { operationName: 'inner', maxRetries: 0, circuitBreakerThreshold: 100, ...noJitter },
      );
    for (let i = 0; i < 10; i++) await settle(executeWithRetry(inner, undefined, { operationName: 'outer', maxRetries: 2, circuitBreakerThreshold: 2, ...noJitter }));
    expect(listCircuitBreakers()).toEqual(expect.arrayContaining([{ key: 'outer', state: 'closed' }]));
  });
});
