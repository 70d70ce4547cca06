import { ConcurrencyLimitError } from '../errors/ConcurrencyLimitError';
import { ResilienceRegistry } from '../registry/ResilienceRegistry';
import { errorWith } from '../testing/errorWith';
import { outcome, useFakeWebSocketTime } from '../testing/retryTestKit';
import { ConnectionRegistry } from './ConnectionRegistry';
import { executeWebSocketWithRetry } from './executeWebSocketWithRetry';

describe('ConnectionRegistry', () => {
  useFakeWebSocketTime();

  it('drops idle connections past the cap but never one with work in flight (its limit would reset)', async () => {
    const registry = new ResilienceRegistry({ maxConnections: 2 });
    let release!: () => void;
    const held = new Promise<string>((resolve) => (release = () => resolve('done')));
    const busy = executeWebSocketWithRetry(() => held, undefined, 'busy', { registry, maxConcurrentOperations: 1 });
    for (let i = 0; i < 10; i++) await executeWebSocketWithRetry(async () => 'ok', undefined, `idle-${i}`, { registry });
    expect(registry.connections.status('busy')).toMatchObject({ inFlight: 1 });
    expect(await outcome(executeWebSocketWithRetry(async () => 'ok', undefined, 'busy', { registry, maxConcurrentOperations: 1 }))).toBeInstanceOf(ConcurrencyLimitError);
    release();
    await expect(busy).resolves.toBe('done');
    expect(registry.connections.status('idle-0')).toBeUndefined();
  });

  it('keeps a connection whose breaker is open past its TTL', async () => {
    jest.advanceTimersByTime(1); // lru-cache reads a start time of 0 as "no TTL"
    const registry = new ResilienceRegistry({ connectionTtlMs: 1_000 });
    const fail = async (): Promise<never> => {
      throw errorWith({ code: 'ECONNREFUSED' });
    };
    for (let i = 0; i < 5; i++) await outcome(executeWebSocketWithRetry(fail, undefined, 'c', { registry, maxRetries: 0, circuitBreakerResetMs: 60_000 }));
    jest.advanceTimersByTime(5_000);
    expect(registry.connections.get('c').breakerStates()).toEqual({ operations: 'open' });
  });

  it('release, size, configure and reset', () => {
    const connections = new ConnectionRegistry();
    connections.get('a');
    expect(connections.size).toBe(1);
    expect(connections.release('a')).toBe(true);
    expect(connections.release('a')).toBe(false);
    connections.get('b');
    connections.configure({ maxConnections: 5 });
    expect(connections.size).toBe(0);
    connections.get('c');
    connections.reset();
    expect(connections.size).toBe(0);
  });
});
