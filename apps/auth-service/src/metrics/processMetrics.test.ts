import Fastify from 'fastify';
import { MetricsCollector } from '@libs/monitoring';
import { loadConfig } from '../config';
import { registerMetricsRoute } from '../features/metrics/metricsRoute';
import { appMetricsRegistry } from './processMetrics';

async function scrape(env: NodeJS.ProcessEnv): Promise<{ status: number; body: string }> {
  const registry = appMetricsRegistry(loadConfig(env));
  const app = Fastify();
  registerMetricsRoute(app, { registry, metrics: new MetricsCollector({ registry, prefix: 'auth_' }) });
  try {
    const res = await app.inject('/metrics');
    return { status: res.statusCode, body: res.body };
  } finally {
    await app.close();
  }
}

describe('METRICS_PROCESS', () => {
  it('on: /metrics carries the process and Node heap gauges', async () => {
    const { status, body } = await scrape({ METRICS_PROCESS: 'on' });
    expect(status).toBe(200);
    expect(body).toMatch(/^process_resident_memory_bytes\{service="auth-service"\} \d+/m);
    expect(body).toMatch(/^nodejs_heap_size_used_bytes\{service="auth-service"\} \d+/m);
  });

  it('off (the default): /metrics carries neither', async () => {
    for (const env of [{}, { METRICS_PROCESS: 'off' }]) {
      const { status, body } = await scrape(env);
      expect(status).toBe(200);
      expect(body).not.toContain('process_resident_memory_bytes');
      expect(body).not.toContain('nodejs_heap_size_used_bytes');
    }
  });

  it('rejects anything but on/off, naming the variable', () => {
    expect(() => loadConfig({ METRICS_PROCESS: 'yes' })).toThrow(/METRICS_PROCESS/);
  });
});
