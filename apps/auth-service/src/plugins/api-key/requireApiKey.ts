import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginServices } from '../services';
import type { ApiKeyPrincipal, VerifyOutcome } from './ApiKeyVerifier';
import { API_KEY_HEADER } from './sessionHook';
import { refusalBody } from './verifyAnswer';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by `registerPluginRoutes`. */
    authPlugins: FastifyPluginServices;
  }
  interface FastifyRequest {
    /** Set by `requireApiKey` on success. */
    apiKey: ApiKeyPrincipal | null;
  }
}

/**
 * Authenticates the request's `x-api-key`: the owner's user and the key's scopes, or why not.
 * A missing header is answered like a wrong key.
 */
export function authenticateApiKey(request: FastifyRequest, scopes: readonly string[] = []): Promise<VerifyOutcome> {
  const header = request.headers[API_KEY_HEADER];
  return request.server.authPlugins.apiKeys.verify(Array.isArray(header) ? undefined : header, scopes);
}

export interface RequireApiKeyOptions {
  /** Scopes the key must grant (`*` grants all). @default [] */
  scopes?: readonly string[];
}

/** Fastify preHandler: 401 / 403 / 429 (+ Retry-After) unless `x-api-key` is valid; sets `request.apiKey`. */
export function requireApiKey(options: RequireApiKeyOptions = {}) {
  const scopes = options.scopes ?? [];
  return async function requireApiKeyHandler(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const outcome = await authenticateApiKey(request, scopes);
    if (!outcome.ok) {
      if (outcome.retryAfterS !== undefined) void reply.header('retry-after', String(outcome.retryAfterS));
      return reply.code(outcome.status).send(refusalBody(outcome));
    }
    request.apiKey = outcome.principal;
  };
}
