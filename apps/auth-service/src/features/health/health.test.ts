import Fastify from 'fastify';
import { HEALTH_PREFIX, healthFeature } from './healthFeature';
import type { BreakerStatus, DependencyStatus, HealthOptions } from './healthRoutes';

/** The feature as the app registers it: under its prefix. */
function healthApp(options: HealthOptions) {
  const app = Fastify();
  void app.register(healthFeature, { prefix: HEALTH_PREFIX, ...options });
  return app;
}

function build(db: DependencyStatus | Error, redis: DependencyStatus, breakers: BreakerStatus[] = [], draining = false) {
  return healthApp({
    checks: {
      database: async () => {
        if (db instanceof Error) throw db;
        return db;
      },
      redis: async () => redis,
    },
    breakers: () => breakers,
    draining: () => draining,
  });
}

describe('health routes', () => {
  it('is live and ready when every dependency answers', async () => {
    const app = build({ healthy: true, latencyMs: 1 }, { healthy: true });
    expect((await app.inject('/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', openBreakers: [] });
  });

  it('is not ready (503 + Retry-After) when the database is down or its check throws', async () => {
    for (const db of [{ healthy: false, errorCode: 'ECONNREFUSED' }, new Error('boom')]) {
      const res = await build(db, { healthy: true }).inject('/health/ready');
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json().dependencies.database.healthy).toBe(false);
    }
  });

  it('names the instance in both answers when given one (which instance a load balancer reached)', async () => {
    const app = healthApp({ checks: { database: async () => ({ healthy: true }) }, instance: 'app-2' });
    expect((await app.inject('/health/live')).json()).toEqual({ status: 'ok', instance: 'app-2' });
    expect((await app.inject('/health/ready')).json()).toMatchObject({ status: 'ready', instance: 'app-2' });
  });

  it('stays ready when an optional dependency (Redis) is degraded', async () => {
    const res = await build({ healthy: true }, { healthy: false, required: false, errorCode: 'ECONNREFUSED' }).inject('/health/ready');
    expect(res.statusCode).toBe(200);
  });

  it('is not ready while a breaker is open, or while draining', async () => {
    const open = await build({ healthy: true }, { healthy: true }, [{ key: 'repo:user', state: 'open' }]).inject('/health/ready');
    expect(open.statusCode).toBe(503);
    expect(open.json().openBreakers).toEqual(['repo:user']);
    const draining = await build({ healthy: true }, { healthy: true }, [], true).inject('/health/ready');
    expect(draining.statusCode).toBe(503);
    expect(draining.json().status).toBe('draining');
  });
});
