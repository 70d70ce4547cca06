import pino from 'pino';
import { Writable } from 'node:stream';
import { MetricsCollector } from './MetricsCollector';
import { isMetricsConfigError } from './errors/MetricsConfigError';
import type { MetricsLogger } from './MetricsLogger';
import { startPeriodicSnapshot } from './periodicSnapshot';

function recordingLogger(): MetricsLogger & { calls: Array<[string, Record<string, unknown>, string | undefined]> } {
  const calls: Array<[string, Record<string, unknown>, string | undefined]> = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => void calls.push([level, obj, msg]);
  return { calls, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('startPeriodicSnapshot', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('logs the metrics at debug every interval with the counts since the previous line', () => {
    jest.useFakeTimers();
    const metrics = new MetricsCollector();
    const logger = recordingLogger();
    const stop = metrics.startPeriodicSnapshot(logger, 1_000);
    metrics.recordOperation('a', 1, true);
    metrics.recordOperation('a', 1, false, 'X');
    jest.advanceTimersByTime(999);
    expect(logger.calls).toHaveLength(0);
    jest.advanceTimersByTime(1);
    metrics.recordOperation('a', 1, true);
    jest.advanceTimersByTime(1_000);
    expect(logger.calls.map(([level, obj, msg]) => [level, obj.sinceLast, msg])).toEqual([
      ['debug', { operations: 2, errors: 1 }, 'metrics snapshot'],
      ['debug', { operations: 1, errors: 0 }, 'metrics snapshot'],
    ]);
    expect(logger.calls[1][1]).toMatchObject({ intervalMs: 1_000, metrics: { operationCount: 3, errorCount: 1 } });
    stop();
    jest.advanceTimersByTime(10_000);
    expect(logger.calls).toHaveLength(2);
  });

  it('counts from zero again after a reset', () => {
    jest.useFakeTimers();
    const metrics = new MetricsCollector();
    const logger = recordingLogger();
    const stop = startPeriodicSnapshot(metrics, logger, { intervalMs: 10, level: 'info', message: 'm' });
    for (let i = 0; i < 5; i++) metrics.recordOperation('a', 1, true);
    jest.advanceTimersByTime(10);
    metrics.reset();
    metrics.recordOperation('a', 1, true);
    jest.advanceTimersByTime(10);
    stop();
    expect(logger.calls.map(([level, obj, msg]) => [level, obj.sinceLast, msg])).toEqual([
      ['info', { operations: 5, errors: 0 }, 'm'],
      ['info', { operations: 1, errors: 0 }, 'm'],
    ]);
  });

  it('does not keep the process alive', () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const stop = startPeriodicSnapshot(new MetricsCollector(), recordingLogger(), { intervalMs: 60_000 });
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
    stop();
    stop();
  });

  it('survives a throwing source or logger and keeps ticking', () => {
    jest.useFakeTimers();
    let calls = 0;
    const source = {
      getMetrics: () => {
        calls++;
        if (calls === 1) throw new Error('boom');
        return new MetricsCollector().getMetrics();
      },
    };
    const logger = recordingLogger();
    logger.debug = () => {
      throw new Error('logger down');
    };
    const stop = startPeriodicSnapshot(source, logger, { intervalMs: 5 });
    expect(() => jest.advanceTimersByTime(15)).not.toThrow();
    expect(calls).toBe(3);
    stop();
  });

  it('rejects intervals setInterval cannot honour', () => {
    expect(() => startPeriodicSnapshot(new MetricsCollector(), recordingLogger(), { maxEntries: 0 })).toThrow(/maxEntries/);
    for (const intervalMs of [0, -1, 1.5, Number.NaN, 2 ** 31]) {
      let error: unknown;
      try {
        startPeriodicSnapshot(new MetricsCollector(), recordingLogger(), { intervalMs });
      } catch (e) {
        error = e;
      }
      expect(isMetricsConfigError(error) && error.option).toBe('intervalMs');
    }
  });

  it('keeps a line bounded: the busiest entries of each kind, and how many were left out', () => {
    jest.useFakeTimers();
    const metrics = new MetricsCollector();
    for (let i = 0; i < 150; i++) {
      const name = `repo.op${i}.${'x'.repeat(100)}`;
      for (let n = 0; n <= i % 7; n++) metrics.recordOperation(name, 1, false, `CODE_${n}_${i}`);
      metrics.incrementEvent(`event.${i}.${'y'.repeat(100)}`, i + 1);
      metrics.recordCircuitBreakerState(`breaker.${i}`, i === 3 ? 'open' : 'closed');
    }
    metrics.recordOperation('busiest', 1, true);
    for (let n = 0; n < 50; n++) metrics.recordOperation('busiest', 1, true);
    const logger = recordingLogger();
    const stop = startPeriodicSnapshot(metrics, logger, { intervalMs: 10, maxEntries: 5 });
    jest.advanceTimersByTime(10);
    stop();
    const line = logger.calls[0][1] as { metrics: { operations: Record<string, { errorsByCode: object }>; events: Record<string, number>; circuitBreakers: Record<string, string>; omitted: object; operationCount: number } };
    expect(Object.keys(line.metrics.operations)).toHaveLength(5);
    expect(line.metrics.operations.busiest).toBeDefined();
    for (const op of Object.values(line.metrics.operations)) expect(Object.keys(op.errorsByCode).length).toBeLessThanOrEqual(5);
    expect(Object.values(line.metrics.events)).toEqual([150, 149, 148, 147, 146]);
    expect(line.metrics.circuitBreakers['breaker.3']).toBe('open');
    // 4 kept operations with 7 codes each keep 5; the collector itself caps breakers at 100 (+ `other`).
    const breakers = Object.keys(metrics.getMetrics().circuitBreakers).length;
    expect(line.metrics.omitted).toEqual({ operations: 146, errorCodes: 4 * 2, events: 145, circuitBreakers: breakers - 5 });
    expect(line.metrics.operationCount).toBe(metrics.getMetrics().operationCount); // overall stays exact
    expect(JSON.stringify(line).length).toBeLessThan(8_000);
  });

  it('accepts a pino logger as is', () => {
    jest.useFakeTimers();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    const metrics = new MetricsCollector();
    metrics.recordOperation('user.findById', 3, true);
    const stop = metrics.startPeriodicSnapshot(logger, 100);
    jest.advanceTimersByTime(100);
    stop();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 20,
      msg: 'metrics snapshot',
      metrics: { operations: { 'user.findById': { operationCount: 1 } } },
    });
  });
});
