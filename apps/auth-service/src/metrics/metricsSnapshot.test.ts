import { MetricsCollector } from '@libs/monitoring';
import { loadConfig } from '../config';
import { startMetricsSnapshot } from './metricsSnapshot';

function recordingLogger() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('metrics snapshot (the seed\'s periodic flush)', () => {
  afterEach(() => jest.useRealTimers());

  it('is on by default every 60 s, configurable, and 0 switches it off', () => {
    const base = { NODE_ENV: 'test' };
    expect(loadConfig(base).METRICS_SNAPSHOT_INTERVAL_MS).toBe(60_000);
    expect(loadConfig({ ...base, METRICS_SNAPSHOT_INTERVAL_MS: '250' }).METRICS_SNAPSHOT_INTERVAL_MS).toBe(250);
    expect(loadConfig({ ...base, METRICS_SNAPSHOT_INTERVAL_MS: '0' }).METRICS_SNAPSHOT_INTERVAL_MS).toBe(0);
    for (const bad of ['-1', '1.5', 'soon', String(2 ** 31)]) {
      expect(() => loadConfig({ ...base, METRICS_SNAPSHOT_INTERVAL_MS: bad })).toThrow(/METRICS_SNAPSHOT_INTERVAL_MS/);
    }
    expect(startMetricsSnapshot(new MetricsCollector(), recordingLogger(), 0)).toBeUndefined();
  });

  it('logs one compact line at debug per interval and stops when its closer runs', async () => {
    jest.useFakeTimers();
    const metrics = new MetricsCollector();
    const logger = recordingLogger();
    const closer = startMetricsSnapshot(metrics, logger, 60_000)!;
    for (let i = 0; i < 300; i++) metrics.recordOperation(`repo.op${i}`, 1, i % 3 !== 0, 'TIMEOUT');
    jest.advanceTimersByTime(60_000);
    expect(logger.lines).toHaveLength(1);
    const [{ level, obj, msg }] = logger.lines;
    expect([level, msg]).toEqual(['debug', 'metrics snapshot']);
    expect(obj).toMatchObject({ intervalMs: 60_000, sinceLast: { operations: 300, errors: 100 } });
    const snapshot = obj.metrics as { operations: object; omitted: { operations: number } };
    expect(Object.keys(snapshot.operations)).toHaveLength(20);
    // The collector itself keeps 200 names and folds the rest into `other`.
    expect(snapshot.omitted.operations).toBe(Object.keys(metrics.getMetrics().operations).length - 20);
    await closer.close();
    jest.advanceTimersByTime(10 * 60_000);
    expect(logger.lines).toHaveLength(1);
  });
});
