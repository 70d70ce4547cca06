import Fastify, { type FastifyInstance } from 'fastify';
import type { AppConfig } from './config';
import { registerErrorHandling } from './http/errorHandler';
import { registerBoundedJsonParser } from './http/jsonDepth';
import { fastifyTrustProxy, type ProxyTrust } from './http/clientAddress';
import { LOG_SERIALIZERS } from './http/logRedaction';

/** Headers and body fields that must never reach a log line (query values: http/logRedaction.ts). */
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

/** 64 KiB: sign-up and API-key bodies are small; anything larger is junk (docs/input-limits.md). */
export const BODY_LIMIT_BYTES = 64 * 1024;

export function createFastify(config: AppConfig, options: { stream?: NodeJS.WritableStream } = {}): FastifyInstance {
  const app = Fastify({
    logger: { level: config.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: LOG_SERIALIZERS, ...(options.stream ? { stream: options.stream } : {}) },
    bodyLimit: BODY_LIMIT_BYTES,
    // TRUST_PROXY (http/clientAddress.ts): request.ip follows the same trust rule; decisions use clientAddress().
    trustProxy: fastifyTrustProxy(config.TRUST_PROXY),
  });
  app.decorate<ProxyTrust>('proxyTrust', config.TRUST_PROXY ?? { kind: 'off' });
  registerErrorHandling(app);
  registerBoundedJsonParser(app);
  return app;
}
