import { MetricsCollector } from './MetricsCollector';
import { NoopMetricsCollector } from './NoopMetricsCollector';

describe('NoopMetricsCollector', () => {
  it('accepts every call and reports the same empty figures as a fresh collector', () => {
    const noop = new NoopMetricsCollector();
    noop.recordOperation('a', 1, false, 'X');
    noop.recordCircuitBreakerState('db', 'open');
    noop.recordWebSocketConnection('opened');
    noop.incrementEvent('e', 3);
    noop.reset();
    expect(noop.getMetrics()).toEqual(new MetricsCollector().getMetrics());
  });
});
