import { ResilienceRegistry } from '../registry/ResilienceRegistry';
import { executeWithRetry } from './executeWithRetry';

const load = Object.assign(new Error('pool busy'), { code: 'POOL_WAIT' });
const outage = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });

describe('RetryOptions.isBreakerFailure', () => {
  const run = (registry: ResilienceRegistry, error: Error) =>
    executeWithRetry(() => Promise.reject(error), undefined, {
      operationName: 'op',
      breakerKey: 'k',
      registry,
      maxRetries: 1,
      baseDelayMs: 0,
      circuitBreakerThreshold: 2,
      isRetryable: () => true,
      isBreakerFailure: (e) => (e as { code?: string }).code !== 'POOL_WAIT',
    }).catch((e: unknown) => e as { code?: string; attempts?: number });

  it('a retryable failure it rejects is still retried but never opens the breaker', async () => {
    const registry = new ResilienceRegistry();
    for (let i = 0; i < 5; i++) expect(await run(registry, load)).toMatchObject({ attempts: 2 });
    expect(registry.breakers.peek('k')?.state).toBe('closed');
  });

  it('the failures it accepts open the breaker as before', async () => {
    const registry = new ResilienceRegistry();
    await run(registry, outage);
    expect(registry.breakers.peek('k')?.state).toBe('open');
    expect(await run(registry, outage)).toMatchObject({ code: 'CIRCUIT_OPEN' });
  });
});
