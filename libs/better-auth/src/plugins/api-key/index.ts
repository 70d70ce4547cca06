import { APIError, createAuthEndpoint } from 'better-auth/api';
import type { BetterAuthPlugin } from 'better-auth';
import type { PluginServices } from '../services';
import { keyEndpoints } from './endpoints';
import { API_KEY_ERROR_CODES } from './error-codes';
import { verifyKeyBodySchema } from './schema';
import { apiKeySessionHook, DEFAULT_API_KEY_SESSION_PATHS } from './sessionHook';
import { requiredScopesOf, STATUS_NAMES, verifyAnswer, verifyOpenApi } from './verifyAnswer';

export interface ApiKeyPluginOptions {
  /** Prefix of generated keys (`<prefix>_<identifier>_<secret>`). @default 'sk' */
  defaultPrefix?: string;
  /** Let `x-api-key` stand in for a session on Better-Auth endpoints. @default true */
  enableSessionForApiKeys?: boolean;
  /** Better-Auth paths where it does (read-only ones by default). @default DEFAULT_API_KEY_SESSION_PATHS */
  apiKeySessionPaths?: readonly string[];
}

export const DEFAULT_API_KEY_PLUGIN_OPTIONS = { defaultPrefix: 'sk', enableSessionForApiKeys: true, apiKeySessionPaths: DEFAULT_API_KEY_SESSION_PATHS } satisfies Required<ApiKeyPluginOptions>;

/**
 * API keys on our `ApiKeyRepository` (no Better-Auth tables): create / get / list / update /
 * revoke / rotate / delete for the signed-in user, `verify`, and `x-api-key` request
 * authentication. A superset of the stock `@better-auth/api-key` plugin (same id, endpoints,
 * body fields and answer fields; what it does not implement is refused with UNSUPPORTED_FIELD).
 * Verification writes nothing (usage is buffered by the repository) and is rate limited per key.
 */
export function apiKeyPlugin(services: Pick<PluginServices, 'apiKeys' | 'repositories' | 'access' | 'sessionGuards'>, options: ApiKeyPluginOptions = {}) {
  const settings = { ...DEFAULT_API_KEY_PLUGIN_OPTIONS, ...options };
  const verifier = services.apiKeys;
  return {
    id: 'api-key',
    endpoints: {
      ...keyEndpoints({ apiKeys: services.repositories.apiKeys, events: services.repositories.events, defaultPrefix: settings.defaultPrefix, guards: services.sessionGuards }),
      // Over HTTP the auth service's Fastify route of the same path answers (`registerPluginRoutes`,
      // apps/auth-service/src/plugins/routes.ts); this one serves `auth.api.verifyApiKey` and the
      // OpenAPI reference, with the same answers.
      verifyApiKey: createAuthEndpoint('/api-key/verify', { method: 'POST', body: verifyKeyBodySchema, metadata: { openapi: verifyOpenApi } }, async (ctx) => {
        const answer = verifyAnswer(await verifier.verify(ctx.body.key, requiredScopesOf(ctx.body)));
        if (answer.status !== 200) throw new APIError(STATUS_NAMES[answer.status], answer.body, answer.headers);
        return ctx.json(answer.body);
      }),
    },
    hooks: { before: settings.enableSessionForApiKeys ? [apiKeySessionHook(services.access, settings.apiKeySessionPaths)] : [] },
    $ERROR_CODES: API_KEY_ERROR_CODES,
  } satisfies BetterAuthPlugin;
}

export type ApiKeyPlugin = ReturnType<typeof apiKeyPlugin>;
