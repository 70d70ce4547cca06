import { CircuitOpenError } from '../errors/CircuitOpenError';
import { executeWithRetry } from '../retry/executeWithRetry';
import type { RetryOptions } from '../retry/RetryOptions';
import { errorWith } from '../testing/errorWith';
import { outcome, useFakeWebSocketTime } from '../testing/retryTestKit';
import { executeWebSocketWithRetry } from '../websocket/executeWebSocketWithRetry';
import { getWebSocketConnectionState, listCircuitBreakers, retryBudgetCount } from './defaultRegistry';
import { defaultResilienceRegistry, ResilienceRegistry } from './ResilienceRegistry';

const fail = async (): Promise<never> => {
  throw errorWith({ code: 'ECONNREFUSED' });
};
const ok = async (): Promise<string> => 'ok';
const opts = (registry?: ResilienceRegistry): RetryOptions => ({
  operationName: 'db.user',
  maxRetries: 0,
  circuitBreakerThreshold: 2,
  jitter: 'none',
  registry,
});

describe('ResilienceRegistry', () => {
  useFakeWebSocketTime();

  it('two app contexts with a registry each do not share breakers', async () => {
    const a = new ResilienceRegistry();
    const b = new ResilienceRegistry();
    for (let i = 0; i < 2; i++) await outcome(executeWithRetry(fail, undefined, opts(a)));
    expect(await outcome(executeWithRetry(ok, undefined, opts(a)))).toBeInstanceOf(CircuitOpenError);
    await expect(executeWithRetry(ok, undefined, opts(b))).resolves.toBe('ok');
    expect(a.breakers.list()).toEqual([{ key: 'db.user', state: 'open' }]);
    expect(b.breakers.list()).toEqual([{ key: 'db.user', state: 'closed' }]);
    // Nothing leaked into the process default.
    expect(listCircuitBreakers()).toEqual([]);
    expect(retryBudgetCount()).toBe(0);
    expect(a.budgets.size).toBe(1);
  });

  it('calls that name no registry share the default one (listCircuitBreakers lists it)', async () => {
    for (let i = 0; i < 2; i++) await outcome(executeWithRetry(fail, undefined, opts()));
    expect(listCircuitBreakers()).toEqual([{ key: 'db.user', state: 'open' }]);
    expect(defaultResilienceRegistry.breakers.peek('db.user')?.state).toBe('open');
  });

  it('keeps WebSocket connection state per registry', async () => {
    const mine = new ResilienceRegistry();
    await executeWebSocketWithRetry(ok, undefined, 'c1', { registry: mine });
    expect(mine.connections.status('c1')).toEqual({ inFlight: 0, refreshing: false, breakers: {} });
    expect(getWebSocketConnectionState('c1')).toBeUndefined();
    expect(mine.connections.release('c1')).toBe(true);
    expect(mine.connections.size).toBe(0);
  });

  it('reset() empties all three parts', async () => {
    const registry = new ResilienceRegistry();
    await executeWithRetry(ok, undefined, opts(registry));
    await executeWebSocketWithRetry(ok, undefined, 'c', { registry });
    registry.reset();
    expect([registry.breakers.size, registry.budgets.size, registry.connections.size]).toEqual([0, 0, 0]);
  });
});
