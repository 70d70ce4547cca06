import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../config';
import { registerErrorHandling } from './errorHandler';
import { registerUnderPressure } from './underPressure';

/** The app's own registration, with the bounds the config gives it. */
async function appWith(env: Record<string, string>): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  await registerUnderPressure(app, loadConfig({ NODE_ENV: 'test', ...env }));
  app.post('/api/auth/sign-in/email', async () => ({ ok: true }));
  return app;
}

/** Holds the event loop for `ms` (what a stalled Jest worker or a burst of hashing does). */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** Resolves after the plugin has taken at least one sample (its timer fires after a stall). */
const nextSample = (sampleMs: number) => new Promise((resolve) => setTimeout(resolve, sampleMs * 2));

const SAMPLE_MS = 20;
const signIn = (app: FastifyInstance) => app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: {} });

describe('a request refused by @fastify/under-pressure', () => {
  it('answers 503 OVERLOADED with Retry-After, never a 500, once the event loop stalled past OVERLOAD_MAX_EVENT_LOOP_DELAY_MS', async () => {
    const app = await appWith({ OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '5', OVERLOAD_SAMPLE_INTERVAL_MS: String(SAMPLE_MS) });
    try {
      // A 300 ms stall makes the next sample's mean delay far above 5 ms; a later sample may be
      // calm again before the request runs, so stall again until one lands while under pressure.
      let res = await signIn(app);
      const deadline = Date.now() + 20_000;
      while (res.statusCode !== 503 && Date.now() < deadline) {
        stall(300);
        await nextSample(SAMPLE_MS);
        if (app.isUnderPressure()) res = await signIn(app);
      }
      expect(res.statusCode).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(res.json()).toEqual({ error: { code: 'OVERLOADED', message: expect.any(String) } });
    } finally {
      await app.close();
    }
  });

  it('never sheds with OVERLOAD_MAX_EVENT_LOOP_DELAY_MS=0 (off), however long the stall', async () => {
    const app = await appWith({ OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0', OVERLOAD_SAMPLE_INTERVAL_MS: String(SAMPLE_MS) });
    try {
      stall(300);
      await nextSample(SAMPLE_MS);
      expect(app.isUnderPressure()).toBe(false);
      const res = await signIn(app);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ ok: true });
    } finally {
      await app.close();
    }
  });
});
