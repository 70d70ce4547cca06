import { permissionStrings } from '@libs/database/models';
import type { VerifyOutcome } from './ApiKeyVerifier';
import type { VerifyKeyBody } from './schema';
import { toStockFields } from './stockView';

/** What a verify body asks the key to grant: our `scopes` (strings or the map) and the stock `permissions` map, as strings. */
export function requiredScopesOf(body: VerifyKeyBody): string[] {
  if (body.scopes === undefined && body.permissions === undefined) return [];
  return [...new Set([...permissionStrings(body.scopes ?? []), ...permissionStrings(body.permissions ?? {})])];
}

export interface VerifyAnswer {
  status: 200 | 401 | 403 | 429;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export interface VerifyAnswerOptions {
  /**
   * Answer the stock plugin's key fields (`enabled`, `start`, `referenceId`, rate-limit fields,
   * dates …) beside ours. The stock `verifyApiKey` is server-only, so its contract is
   * `auth.api.verifyApiKey` — the Better-Auth endpoint answers them. A lean HTTP route of the same
   * path (this repository's app) answers the compact key: half the bytes and a quarter less CPU
   * per verification (`npm run bench -- auth`). @default true
   */
  stockKeyFields?: boolean;
}

/**
 * The answer of `POST /api-key/verify`, shared by the Better-Auth endpoint and a lean HTTP route
 * so both decide and refuse alike. The body carries the stock plugin's `{ valid, error, key }` too
 * (`error: null` when valid; `error: { code, message }` and `key: null` when not) — but a refused
 * key keeps its status (401 / 403 / 429), where the stock plugin answers 200.
 */
export function verifyAnswer(outcome: VerifyOutcome, options: VerifyAnswerOptions = {}): VerifyAnswer {
  if (!outcome.ok) {
    return {
      status: outcome.status,
      body: {
        valid: false,
        code: outcome.error.code,
        message: outcome.error.message,
        ...(outcome.missingScopes ? { missingScopes: outcome.missingScopes } : {}),
        error: { code: outcome.error.code, message: outcome.error.message },
        key: null,
      },
      headers: outcome.retryAfterS === undefined ? {} : { 'retry-after': String(outcome.retryAfterS) },
    };
  }
  const { principal, rateLimit } = outcome;
  return {
    status: 200,
    body: {
      valid: true,
      error: null,
      key: {
        ...(options.stockKeyFields === false ? {} : toStockFields(outcome.apiKey)),
        id: principal.apiKey.id,
        name: principal.apiKey.name,
        userId: principal.user.id,
        scopes: principal.apiKey.scopes,
        storeId: principal.apiKey.storeId,
        expiresAt: principal.apiKey.expiresAt,
      },
    },
    headers: rateLimit ? { 'x-ratelimit-limit': String(rateLimit.limit), 'x-ratelimit-remaining': String(rateLimit.remaining) } : {},
  };
}

export const STATUS_NAMES = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 429: 'TOO_MANY_REQUESTS' } as const;

export const verifyOpenApi = {
  operationId: 'verifyApiKey',
  summary: 'Verify an API key',
  description: 'Checks a key (and optionally scopes) without writing to the database; counts toward the key rate limit. 401 invalid / revoked / expired, 403 missing scope, 429 rate limited (Retry-After).',
  responses: {
    200: {
      description: 'Valid key',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              valid: { type: 'boolean' },
              key: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, userId: { type: 'string' }, scopes: { type: 'array', items: { type: 'string' } } } },
            },
          },
        },
      },
    },
    401: { description: 'Invalid, revoked or expired key' },
    403: { description: 'A required scope is missing' },
    429: { description: 'Rate limited; see Retry-After' },
  },
} as const;
