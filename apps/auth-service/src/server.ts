import Fastify, { type FastifyInstance } from 'fastify';
import type { AppConfig } from './config';
import { registerErrorHandling } from './http/errorHandler';
import { registerHealthRoutes } from './routes/health';

/** Headers and body fields that must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.idToken',
  '*.key',
];

/** Builds the Fastify app; `main.ts` listens, tests use `inject`. */
export async function buildServer(config: AppConfig): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    bodyLimit: 64 * 1024,
  });
  registerErrorHandling(app);
  registerHealthRoutes(app, { checks: {} });
  return app;
}
