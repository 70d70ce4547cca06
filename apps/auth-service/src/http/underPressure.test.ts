import Fastify from 'fastify';
import underPressure from '@fastify/under-pressure';
import { registerErrorHandling } from './errorHandler';

describe('a request refused by @fastify/under-pressure', () => {
  it('answers 503 OVERLOADED with Retry-After, never a 500 (sign-in with {} while the server is under pressure)', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandling(app);
    // The plugin's own health-check path puts it under pressure deterministically (no load, no timing).
    await app.register(underPressure, { healthCheck: async () => false, healthCheckInterval: 60_000, retryAfter: 1, exposeStatusRoute: false });
    app.post('/api/auth/sign-in/email', async () => ({ ok: true }));
    try {
      const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: {} });
      expect(res.statusCode).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(res.json()).toEqual({ error: { code: 'OVERLOADED', message: expect.any(String) } });
    } finally {
      await app.close();
    }
  });
});
