import { APIError, createAuthEndpoint } from 'better-auth/api';
import type { ApiKey, ApiKeyUpdateInput, JsonValue } from '@libs/database/models';
import type { IApiKeyRepository, IUserEventRepository } from '@libs/database/postgress/repositories';
import type { SessionGuards } from '../shared/sessionGuard';
import { API_KEY_ERROR_CODES } from './error-codes';
import { createKeyBodySchema, keyIdBodySchema, revokeKeyBodySchema, updateKeyBodySchema } from './schema';
import { apiKeyViewOpenApi, toKeyView } from './view';

export interface KeyEndpointDependencies {
  apiKeys: IApiKeyRepository;
  events: IUserEventRepository;
  /** Prefix of generated keys unless the request names one. @default 'sk' */
  defaultPrefix: string;
  /** Session, then the caller's rate budget. */
  guards: SessionGuards;
}

const created = { description: 'The key, shown once, and its stored view', content: { 'application/json': { schema: { type: 'object', properties: { key: { type: 'string' }, apiKey: apiKeyViewOpenApi } } } } } as const;
const viewResponse = { description: 'The key (preview only)', content: { 'application/json': { schema: { type: 'object', properties: { apiKey: apiKeyViewOpenApi } } } } } as const;
const listResponse = { description: 'Keys', content: { 'application/json': { schema: { type: 'object', properties: { apiKeys: { type: 'array', items: apiKeyViewOpenApi } } } } } } as const;

/** The caller's own key, or 404 (someone else's key is "not found", not "forbidden"). */
async function ownKey(apiKeys: IApiKeyRepository, keyId: string, userId: string): Promise<ApiKey> {
  const key = await apiKeys.findById(keyId);
  if (!key || key.userId !== userId) throw new APIError('NOT_FOUND', API_KEY_ERROR_CODES.KEY_NOT_FOUND);
  return key;
}

function metadataWith(key: Pick<ApiKey, 'metadata'> | undefined, rateLimit: { max: number; windowMs: number } | null | undefined): ApiKeyUpdateInput['metadata'] {
  const base = { ...((key?.metadata as Record<string, JsonValue> | null) ?? {}) };
  if (rateLimit === null) delete base['rateLimit'];
  else if (rateLimit) base['rateLimit'] = rateLimit;
  return base as ApiKeyUpdateInput['metadata'];
}

/** Key management for the signed-in user: create, list, update, revoke, rotate. */
export function keyEndpoints(deps: KeyEndpointDependencies) {
  const { apiKeys, events } = deps;
  const userSessionMiddleware = deps.guards.userSession;
  const record = (userId: string, eventType: string, keyId: string) => events.append({ userId, eventType, metadata: { keyId } }).catch(() => undefined);

  return {
    createApiKey: createAuthEndpoint(
      '/api-key/create',
      { method: 'POST', body: createKeyBodySchema, use: [userSessionMiddleware], metadata: { openapi: { operationId: 'createApiKey', summary: 'Create an API key', description: 'Returns the key once; only its hash is stored.', responses: { 200: created } } } },
      async (ctx) => {
        const userId = ctx.context.session.user.id;
        const { name, scopes, permissions, expiresIn, prefix, rateLimit } = ctx.body;
        const { apiKey, plainKey } = await apiKeys.createKey({
          name,
          userId,
          scopes: scopes ?? [],
          permissions: permissions ?? null,
          expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1_000) : null,
          metadata: metadataWith(undefined, rateLimit),
          createdBy: userId,
          prefix: prefix ?? deps.defaultPrefix,
        });
        await record(userId, 'API_KEY_CREATED', apiKey.id);
        return ctx.json({ key: plainKey, apiKey: toKeyView(apiKey) });
      },
    ),

    listApiKeys: createAuthEndpoint(
      '/api-key/list',
      { method: 'GET', use: [userSessionMiddleware], metadata: { openapi: { operationId: 'listApiKeys', summary: 'List your API keys', description: 'Previews only, revoked and expired keys included.', responses: { 200: listResponse } } } },
      async (ctx) => {
        const keys = await apiKeys.listByUser(ctx.context.session.user.id, { includeInactive: true });
        return ctx.json({ apiKeys: keys.map((k) => toKeyView(k)) });
      },
    ),

    updateApiKey: createAuthEndpoint(
      '/api-key/update',
      { method: 'POST', body: updateKeyBodySchema, use: [userSessionMiddleware], metadata: { openapi: { operationId: 'updateApiKey', summary: 'Rename a key, change its scopes, expiry or rate limit', description: 'Visible on every instance on the next request.', responses: { 200: viewResponse } } } },
      async (ctx) => {
        const { keyId, name, scopes, permissions, expiresIn, rateLimit } = ctx.body;
        const key = await ownKey(apiKeys, keyId, ctx.context.session.user.id);
        if (key.status === 'REVOKED') throw new APIError('BAD_REQUEST', API_KEY_ERROR_CODES.API_KEY_REVOKED);
        const updated = await apiKeys.update(keyId, {
          ...(name === undefined ? {} : { name }),
          ...(scopes === undefined ? {} : { scopes }),
          ...(permissions === undefined ? {} : { permissions }),
          ...(expiresIn === undefined ? {} : { expiresAt: expiresIn === null ? null : new Date(Date.now() + expiresIn * 1_000) }),
          ...(rateLimit === undefined ? {} : { metadata: metadataWith(key, rateLimit) }),
        });
        return ctx.json({ apiKey: toKeyView(updated) });
      },
    ),

    revokeApiKey: createAuthEndpoint(
      '/api-key/revoke',
      { method: 'POST', body: revokeKeyBodySchema, use: [userSessionMiddleware], metadata: { openapi: { operationId: 'revokeApiKey', summary: 'Revoke an API key', description: 'Records revokedAt / revokedBy; every instance refuses the key on its next request.', responses: { 200: viewResponse } } } },
      async (ctx) => {
        const userId = ctx.context.session.user.id;
        const key = await ownKey(apiKeys, ctx.body.keyId, userId);
        if (key.status === 'REVOKED') return ctx.json({ apiKey: toKeyView(key) });
        const revoked = await apiKeys.revoke(key.id, userId, ctx.body.reason);
        await record(userId, 'API_KEY_REVOKED', key.id);
        return ctx.json({ apiKey: toKeyView(revoked) });
      },
    ),

    rotateApiKey: createAuthEndpoint(
      '/api-key/rotate',
      { method: 'POST', body: keyIdBodySchema, use: [userSessionMiddleware], metadata: { openapi: { operationId: 'rotateApiKey', summary: 'Rotate an API key', description: 'Issues a new key with the same name, scopes and expiry and revokes the old one, atomically.', responses: { 200: created } } } },
      async (ctx) => {
        const userId = ctx.context.session.user.id;
        const key = await ownKey(apiKeys, ctx.body.keyId, userId);
        if (key.status === 'REVOKED') throw new APIError('BAD_REQUEST', API_KEY_ERROR_CODES.API_KEY_REVOKED);
        const { apiKey, plainKey } = await apiKeys.rotate(key.id, userId);
        await record(userId, 'API_KEY_ROTATED', key.id);
        return ctx.json({ key: plainKey, apiKey: toKeyView(apiKey) });
      },
    ),
  };
}
