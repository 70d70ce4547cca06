import { APIError, createAuthEndpoint } from 'better-auth/api';
import type { ApiKey, ApiKeyUpdateInput, JsonValue } from '@libs/database/models';
import type { IApiKeyRepository, IUserEventRepository } from '@libs/database/postgress/repositories';
import type { SessionGuards } from '../shared/sessionGuard';
import { API_KEY_ERROR_CODES } from './error-codes';
import { keyInputOf, unsupported, type KeyInput } from './keyInput';
import { createKeyBodySchema, deleteKeyBodySchema, getKeyQuerySchema, keyIdBodySchema, listKeysQuerySchema, revokeKeyBodySchema, updateKeyBodySchema } from './schema';
import { clientMetadata, isDeleted, RESERVED_METADATA_KEYS, toStockFields } from './stockView';
import { apiKeyViewOpenApi, toKeyView } from './view';

export interface KeyEndpointDependencies {
  apiKeys: IApiKeyRepository;
  events: IUserEventRepository;
  /** Prefix of generated keys unless the request names one. @default 'sk' */
  defaultPrefix: string;
  /** Session, then the caller's rate budget. */
  guards: SessionGuards;
}

/** The name of a key created without one (the stock plugin allows nameless keys; our rows are named). */
export const DEFAULT_KEY_NAME = 'API key';

const keyObject = { type: 'object', description: 'The stock plugin’s key fields (id, name, start, prefix, enabled, expiresAt, permissions, metadata, …) and `apiKey`, this plugin’s view', properties: { apiKey: apiKeyViewOpenApi } } as const;
const created = { description: 'The key, shown once, and its stored view', content: { 'application/json': { schema: { ...keyObject, properties: { key: { type: 'string' }, apiKey: apiKeyViewOpenApi } } } } } as const;
const viewResponse = { description: 'The key (preview only)', content: { 'application/json': { schema: keyObject } } } as const;
const listResponse = { description: 'Keys', content: { 'application/json': { schema: { type: 'object', properties: { apiKeys: { type: 'array', items: apiKeyViewOpenApi }, total: { type: 'number' } } } } } } as const;
const deleted = { description: 'Deleted: revoked, and no longer listed', content: { 'application/json': { schema: { type: 'object', properties: { success: { type: 'boolean' } } } } } } as const;

/** The caller's own key, or 404 (someone else's key, or a deleted one, is "not found", not "forbidden"). */
async function ownKey(apiKeys: IApiKeyRepository, keyId: string, userId: string): Promise<ApiKey> {
  const key = await apiKeys.findById(keyId);
  if (!key || key.userId !== userId || isDeleted(key)) throw new APIError('NOT_FOUND', API_KEY_ERROR_CODES.KEY_NOT_FOUND);
  return key;
}

/** The row's metadata with the request's changes: the client's own part replaced, the plugin's (reserved) part kept. */
function nextMetadata(key: Pick<ApiKey, 'metadata'> | undefined, input: Pick<KeyInput, 'rateLimit' | 'metadata'>, extra: Record<string, JsonValue> = {}): ApiKeyUpdateInput['metadata'] {
  const current = (key?.metadata as Record<string, JsonValue> | null) ?? {};
  const reserved = Object.fromEntries(Object.entries(current).filter(([k]) => (RESERVED_METADATA_KEYS as readonly string[]).includes(k)));
  const own = input.metadata === undefined ? (clientMetadata(current) ?? {}) : (input.metadata ?? {});
  const next: Record<string, JsonValue> = { ...own, ...reserved, ...extra };
  if (input.rateLimit === null) delete next['rateLimit'];
  else if (input.rateLimit) next['rateLimit'] = input.rateLimit;
  return next as ApiKeyUpdateInput['metadata'];
}

/** A key as answered: the stock plugin's fields at the top, this plugin's view under `apiKey`. */
const keyAnswer = (key: Omit<ApiKey, 'keyHash'>) => ({ ...toStockFields(key), apiKey: toKeyView(key) });
const createdAnswer = (key: Omit<ApiKey, 'keyHash'>, plainKey: string) => ({ ...toStockFields(key), key: plainKey, apiKey: toKeyView(key) });

const expiryOf = (expiresIn: number | null) => (expiresIn === null ? null : new Date(Date.now() + expiresIn * 1_000));

/**
 * Key management for the signed-in user: create, get, list, update, revoke, rotate, delete — a
 * superset of the stock `@better-auth/api-key` endpoints, their bodies and answers (keyInput.ts,
 * stockView.ts).
 */
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
        const input = keyInputOf(ctx.body, userId);
        const { apiKey, plainKey } = await apiKeys.createKey({
          name: input.name ?? DEFAULT_KEY_NAME,
          userId,
          scopes: input.scopes ?? [],
          permissions: input.permissions ?? null,
          expiresAt: input.expiresIn ? expiryOf(input.expiresIn) : null,
          metadata: nextMetadata(undefined, input),
          createdBy: userId,
          prefix: input.prefix ?? deps.defaultPrefix,
        });
        await record(userId, 'API_KEY_CREATED', apiKey.id);
        return ctx.json(createdAnswer(apiKey, plainKey));
      },
    ),

    getApiKey: createAuthEndpoint(
      '/api-key/get',
      { method: 'GET', query: getKeyQuerySchema, use: [userSessionMiddleware], metadata: { openapi: { operationId: 'getApiKey', summary: 'Read one of your API keys', description: 'Preview only; another user’s key or a deleted one is 404 KEY_NOT_FOUND.', responses: { 200: viewResponse } } } },
      async (ctx) => {
        return ctx.json(keyAnswer(await ownKey(apiKeys, ctx.query.id, ctx.context.session.user.id)));
      },
    ),

    listApiKeys: createAuthEndpoint(
      '/api-key/list',
      { method: 'GET', query: listKeysQuerySchema, use: [userSessionMiddleware], metadata: { openapi: { operationId: 'listApiKeys', summary: 'List your API keys', description: 'Previews only, revoked and expired keys included, deleted ones not. Stock query: limit, offset, sortBy, sortDirection.', responses: { 200: listResponse } } } },
      async (ctx) => {
        const query = ctx.query ?? {};
        if (query.organizationId !== undefined) throw unsupported('organizationId', 'organization-owned keys are not supported');
        let keys = (await apiKeys.listByUser(ctx.context.session.user.id, { includeInactive: true })).filter((k) => !isDeleted(k));
        if (query.sortBy) {
          const field = query.sortBy === 'lastRequest' ? 'lastUsedAt' : query.sortBy;
          const sign = query.sortDirection === 'desc' ? -1 : 1;
          const value = (k: Omit<ApiKey, 'keyHash'>) => (k[field] instanceof Date ? (k[field] as Date).getTime() : k[field]);
          keys = [...keys].sort((a, b) => {
            const [x, y] = [value(a), value(b)];
            return x === y ? 0 : x === null ? -sign : y === null ? sign : x < y ? -sign : sign;
          });
        }
        const total = keys.length;
        const start = query.offset ?? 0;
        const page = keys.slice(start, query.limit === undefined ? undefined : start + query.limit);
        return ctx.json({ apiKeys: page.map((k) => ({ ...toStockFields(k), ...toKeyView(k) })), total, limit: query.limit, offset: query.offset });
      },
    ),

    updateApiKey: createAuthEndpoint(
      '/api-key/update',
      { method: 'POST', body: updateKeyBodySchema, use: [userSessionMiddleware], metadata: { openapi: { operationId: 'updateApiKey', summary: 'Rename a key, change its scopes, expiry, rate limit or metadata, disable or enable it', description: 'Visible on every instance on the next request.', responses: { 200: viewResponse } } } },
      async (ctx) => {
        const userId = ctx.context.session.user.id;
        const input = keyInputOf(ctx.body, userId);
        const key = await ownKey(apiKeys, ctx.body.keyId, userId);
        if (key.status === 'REVOKED') throw new APIError('BAD_REQUEST', API_KEY_ERROR_CODES.API_KEY_REVOKED);
        if (input.enabled !== undefined && key.status === 'EXPIRED') throw new APIError('BAD_REQUEST', API_KEY_ERROR_CODES.API_KEY_EXPIRED);
        const updated = await apiKeys.update(key.id, {
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.scopes === undefined ? {} : { scopes: input.scopes }),
          ...(input.permissions === undefined ? {} : { permissions: input.permissions }),
          ...(input.expiresIn === undefined ? {} : { expiresAt: expiryOf(input.expiresIn) }),
          ...(input.rateLimit === undefined && input.metadata === undefined ? {} : { metadata: nextMetadata(key, input) }),
          ...(input.enabled === undefined ? {} : { status: input.enabled ? 'ACTIVE' : 'INACTIVE' }),
        });
        return ctx.json(keyAnswer(updated));
      },
    ),

    revokeApiKey: createAuthEndpoint(
      '/api-key/revoke',
      { method: 'POST', body: revokeKeyBodySchema, use: [userSessionMiddleware], metadata: { openapi: { operationId: 'revokeApiKey', summary: 'Revoke an API key', description: 'Records revokedAt / revokedBy; every instance refuses the key on its next request.', responses: { 200: viewResponse } } } },
      async (ctx) => {
        const userId = ctx.context.session.user.id;
        const key = await ownKey(apiKeys, ctx.body.keyId, userId);
        if (key.status === 'REVOKED') return ctx.json(keyAnswer(key));
        const revoked = await apiKeys.revoke(key.id, userId, ctx.body.reason);
        await record(userId, 'API_KEY_REVOKED', key.id);
        return ctx.json(keyAnswer(revoked));
      },
    ),

    deleteApiKey: createAuthEndpoint(
      '/api-key/delete',
      {
        method: 'POST',
        body: deleteKeyBodySchema,
        use: [userSessionMiddleware],
        metadata: { openapi: { operationId: 'deleteApiKey', summary: 'Delete an API key', description: 'The stock endpoint: the key is revoked (refused everywhere on the next request) and hidden from get and list; the row stays, with who revoked it and when, for the audit trail.', responses: { 200: deleted } } },
      },
      async (ctx) => {
        const userId = ctx.context.session.user.id;
        const key = await ownKey(apiKeys, ctx.body.keyId, userId);
        const revoked = key.status === 'REVOKED' ? key : await apiKeys.revoke(key.id, userId, 'deleted');
        await apiKeys.update(key.id, { metadata: nextMetadata(revoked, {}, { deletedAt: new Date().toISOString() }) });
        await record(userId, 'API_KEY_DELETED', key.id);
        return ctx.json({ success: true });
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
        return ctx.json(createdAnswer(apiKey, plainKey));
      },
    ),
  };
}
