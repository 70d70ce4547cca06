import { MetricsCollector } from './MetricsCollector';
import { OVERFLOW_LABEL } from './boundedKey';
import { isMetricsConfigError, MetricsConfigErrorCode } from './errors/MetricsConfigError';
import type { IMetricsCollector } from './IMetricsCollector';
import type { MetricsLogger } from './MetricsLogger';

function recordingLogger(): MetricsLogger & { lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> } {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('MetricsCollector', () => {
  let clock: number;
  const now = (): number => clock;

  beforeEach(() => {
    clock = 1_700_000_000_000;
  });

  it('starts empty', () => {
    expect(new MetricsCollector().getMetrics()).toEqual({
      operationCount: 0,
      errorCount: 0,
      averageResponseTime: 0,
      lastOperationTime: null,
      errorsByCode: {},
      operations: {},
      circuitBreakers: {},
      webSocket: { activeConnections: 0, totalConnections: 0 },
      events: {},
    });
  });

  it('counts operations, errors, average time and last time, overall and per operation', () => {
    const metrics: IMetricsCollector = new MetricsCollector({ now });
    metrics.recordOperation('user.findById', 10, true);
    clock += 5;
    metrics.recordOperation('user.findById', 30, false, 'TIMEOUT');
    clock += 5;
    metrics.recordOperation('cache.get', 2, true);
    const snapshot = metrics.getMetrics();
    expect(snapshot).toMatchObject({
      operationCount: 3,
      errorCount: 1,
      averageResponseTime: 14,
      lastOperationTime: clock,
      errorsByCode: { TIMEOUT: 1 },
    });
    expect(snapshot.operations['user.findById']).toEqual({
      operationCount: 2,
      errorCount: 1,
      averageResponseTime: 20,
      lastOperationTime: clock - 5,
      errorsByCode: { TIMEOUT: 1 },
    });
    expect(snapshot.operations['cache.get']).toMatchObject({ operationCount: 1, errorCount: 0, averageResponseTime: 2 });
  });

  it('counts failures without a code as "unknown" and ignores a code on success', () => {
    const metrics = new MetricsCollector();
    metrics.recordOperation('a', 1, false);
    metrics.recordOperation('a', 1, true, 'IGNORED');
    expect(metrics.getMetrics().operations.a.errorsByCode).toEqual({ unknown: 1 });
    expect(metrics.getMetrics().errorsByCode).toEqual({ unknown: 1 });
  });

  it('never throws on bad input: bad durations count as 0 ms, bad names fold into "other"', () => {
    const metrics = new MetricsCollector();
    for (const duration of [Number.NaN, -5, Infinity, -Infinity]) metrics.recordOperation('a', duration, true);
    metrics.recordOperation(undefined as unknown as string, 1, true);
    metrics.recordOperation('', 1, true);
    metrics.recordOperation('x'.repeat(129), 1, true);
    metrics.recordOperation('b', 1, false, 42 as unknown as string);
    metrics.incrementEvent('e', Number.NaN);
    metrics.incrementEvent('e', -1);
    metrics.recordCircuitBreakerState('db', 'melted' as never);
    const snapshot = metrics.getMetrics();
    expect(snapshot.operations.a).toMatchObject({ operationCount: 4, averageResponseTime: 0 });
    expect(snapshot.operations[OVERFLOW_LABEL].operationCount).toBe(3);
    expect(snapshot.operations.b.errorsByCode).toEqual({ unknown: 1 });
    expect(snapshot.events).toEqual({});
    expect(snapshot.circuitBreakers).toEqual({});
  });

  it('keeps names that look like object keys as ordinary names', () => {
    const metrics = new MetricsCollector();
    metrics.recordOperation('__proto__', 1, true);
    metrics.recordOperation('constructor', 1, true);
    const { operations } = metrics.getMetrics();
    expect(Object.keys(operations).sort()).toEqual(['__proto__', 'constructor']);
    expect(operations['constructor' as string].operationCount).toBe(1);
  });

  it('caps distinct operation names and warns once, without logging the name', () => {
    const logger = recordingLogger();
    const metrics = new MetricsCollector({ maxOperations: 2, logger });
    for (let i = 0; i < 10; i++) metrics.recordOperation(`user:${i}@example.com`, 1, true);
    const { operations, operationCount } = metrics.getMetrics();
    expect(Object.keys(operations)).toEqual(['user:0@example.com', 'user:1@example.com', OVERFLOW_LABEL]);
    expect(operations[OVERFLOW_LABEL].operationCount).toBe(8);
    expect(operationCount).toBe(10);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({ level: 'warn', obj: { kind: 'operation', cap: 2 } });
    expect(JSON.stringify(logger.lines)).not.toContain('example.com');
    // Names admitted before the cap keep their own figures.
    metrics.recordOperation('user:1@example.com', 1, true);
    expect(metrics.getMetrics().operations['user:1@example.com'].operationCount).toBe(2);
  });

  it('does not throw when the logger does', () => {
    const logger = recordingLogger();
    logger.warn = () => {
      throw new Error('logger down');
    };
    const metrics = new MetricsCollector({ maxOperations: 1, logger });
    metrics.recordOperation('a', 1, true);
    expect(() => metrics.recordOperation('b', 1, true)).not.toThrow();
    expect(metrics.getMetrics().operations[OVERFLOW_LABEL].operationCount).toBe(1);
  });

  it('caps error codes per operation, breaker names and event names', () => {
    const metrics = new MetricsCollector({ maxErrorCodes: 2, maxCircuitBreakers: 1, maxEvents: 1 });
    for (const code of ['A', 'B', 'C', 'D']) metrics.recordOperation('op', 1, false, code);
    metrics.recordCircuitBreakerState('postgres', 'open');
    metrics.recordCircuitBreakerState('redis', 'closed');
    metrics.recordCircuitBreakerState('kafka', 'half-open');
    metrics.incrementEvent('cache.hit');
    metrics.incrementEvent('cache.miss', 2);
    metrics.incrementEvent('retry', 3);
    const snapshot = metrics.getMetrics();
    expect(snapshot.operations.op.errorsByCode).toEqual({ A: 1, B: 1, other: 2 });
    expect(snapshot.circuitBreakers).toEqual({ postgres: 'open', other: 'half-open' });
    expect(snapshot.events).toEqual({ 'cache.hit': 1, other: 5 });
  });

  it('keeps the latest state per breaker', () => {
    const metrics = new MetricsCollector();
    metrics.recordCircuitBreakerState('postgres', 'open');
    metrics.recordCircuitBreakerState('postgres', 'half-open');
    metrics.recordCircuitBreakerState('postgres', 'closed');
    metrics.recordCircuitBreakerState('redis', 'isolated');
    expect(metrics.getMetrics().circuitBreakers).toEqual({ postgres: 'closed', redis: 'isolated' });
  });

  it('tracks WebSocket connections and never drives the open count negative', () => {
    const metrics = new MetricsCollector();
    metrics.recordWebSocketConnection('opened');
    metrics.recordWebSocketConnection('opened');
    metrics.recordWebSocketConnection('closed');
    metrics.recordWebSocketConnection('closed');
    metrics.recordWebSocketConnection('closed');
    expect(metrics.getMetrics().webSocket).toEqual({ activeConnections: 0, totalConnections: 2 });
  });

  it('counts events, by 1 or by a given amount', () => {
    const metrics = new MetricsCollector();
    metrics.incrementEvent('cache.l1.hit');
    metrics.incrementEvent('cache.l1.hit');
    metrics.incrementEvent('retry.budget_exhausted', 5);
    expect(metrics.getMetrics().events).toEqual({ 'cache.l1.hit': 2, 'retry.budget_exhausted': 5 });
  });

  it('reset() clears accumulated figures but keeps open connections and breaker states', () => {
    const metrics = new MetricsCollector({ maxOperations: 1 });
    metrics.recordOperation('a', 1, false, 'X');
    metrics.recordOperation('b', 1, true);
    metrics.incrementEvent('e');
    metrics.recordCircuitBreakerState('db', 'open');
    metrics.recordWebSocketConnection('opened');
    metrics.reset();
    expect(metrics.getMetrics()).toEqual({
      operationCount: 0,
      errorCount: 0,
      averageResponseTime: 0,
      lastOperationTime: null,
      errorsByCode: {},
      operations: {},
      circuitBreakers: { db: 'open' },
      webSocket: { activeConnections: 1, totalConnections: 0 },
      events: {},
    });
    // The name cap starts over too.
    metrics.recordOperation('b', 1, true);
    expect(Object.keys(metrics.getMetrics().operations)).toEqual(['b']);
  });

  it('returns snapshots that later recording does not change', () => {
    const metrics = new MetricsCollector();
    metrics.recordOperation('a', 1, false, 'X');
    const before = metrics.getMetrics();
    metrics.recordOperation('a', 1, false, 'X');
    metrics.incrementEvent('e');
    expect(before.operations.a.operationCount).toBe(1);
    expect(before.operations.a.errorsByCode).toEqual({ X: 1 });
    expect(before.events).toEqual({});
  });

  it('rejects unusable options with a typed error naming the option', () => {
    const cases: Array<[string, object]> = [
      ['maxOperations', { maxOperations: 0 }],
      ['maxEvents', { maxEvents: 1.5 }],
      ['maxNameLength', { maxNameLength: Number.NaN }],
      ['buckets', { buckets: [] }],
      ['buckets', { buckets: [0.1, 0.05] }],
      ['buckets', { buckets: [0.1, Infinity] }],
      ['prefix', { prefix: 'has space ' }],
      ['now', { now: 5 }],
    ];
    for (const [option, options] of cases) {
      let error: unknown;
      try {
        new MetricsCollector(options);
      } catch (e) {
        error = e;
      }
      expect(isMetricsConfigError(error)).toBe(true);
      expect(error).toMatchObject({ code: MetricsConfigErrorCode.INVALID_OPTION, option });
    }
  });

  it('treats options given as undefined as not given', () => {
    const metrics = new MetricsCollector({ maxOperations: undefined, registry: undefined });
    for (let i = 0; i < 200; i++) metrics.recordOperation(`op${i}`, 1, true);
    metrics.recordOperation('op200', 1, true);
    expect(Object.keys(metrics.getMetrics().operations)).toHaveLength(201);
    expect(metrics.getMetrics().operations.op200).toBeUndefined();
    expect(metrics.exportedMetricNames).toEqual([]);
  });
});
