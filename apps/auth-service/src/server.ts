import Fastify, { type FastifyInstance } from 'fastify';
import type { AppConfig } from './config';

/** Builds the Fastify app; `main.ts` listens, tests use `inject`. */
export async function buildServer(config: AppConfig): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'] },
    bodyLimit: 64 * 1024,
  });
  app.get('/health/live', async () => ({ status: 'ok' }));
  return app;
}
