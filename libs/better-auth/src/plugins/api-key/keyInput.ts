import { APIError } from 'better-auth/api';
import { permissionStrings, type JsonValue, type PermissionMap } from '@libs/database/models';
import { API_KEY_ERROR_CODES } from './error-codes';
import type { CreateKeyBody, UpdateKeyBody } from './schema';
import { RESERVED_METADATA_KEYS } from './stockView';

/** A create or update request in this plugin's terms, whichever spelling (ours or the stock plugin's) it came in. */
export interface KeyInput {
  name?: string;
  scopes?: string[];
  permissions?: PermissionMap | null;
  expiresIn?: number | null;
  prefix?: string;
  /** `null`: back to the default limit. */
  rateLimit?: { max: number; windowMs: number } | null;
  /** The client's own metadata (replaces the previous one; the reserved keys are kept). */
  metadata?: Record<string, JsonValue> | null;
  enabled?: boolean;
}

export function unsupported(field: string, why: string): APIError {
  return new APIError('BAD_REQUEST', { ...API_KEY_ERROR_CODES.UNSUPPORTED_FIELD, message: `${field}: ${why}`, field });
}

/**
 * Maps a create / update body to `KeyInput`: the stock plugin's spellings become ours, and a
 * stock field this plugin does not implement is refused (400 UNSUPPORTED_FIELD naming it) —
 * never ignored, since most of them limit what a key may do.
 */
export function keyInputOf(body: CreateKeyBody | UpdateKeyBody, sessionUserId: string): KeyInput {
  if (body.organizationId !== undefined) throw unsupported('organizationId', 'organization-owned keys are not supported');
  if (body.userId !== undefined && body.userId !== sessionUserId) throw unsupported('userId', 'a key belongs to the signed-in user; another user’s id is not accepted');
  if (body.remaining !== undefined && body.remaining !== null) throw unsupported('remaining', 'usage quotas are not supported; use rateLimit');
  if (body.refillAmount !== undefined || body.refillInterval !== undefined) throw unsupported(body.refillAmount === undefined ? 'refillInterval' : 'refillAmount', 'usage quotas are not supported; use rateLimit');
  if (body.rateLimitEnabled === false) throw unsupported('rateLimitEnabled', 'every key is rate limited; set rateLimit to change its limit');
  const metadata = body.metadata;
  const reserved = metadata ? RESERVED_METADATA_KEYS.find((k) => k in metadata) : undefined;
  if (reserved) throw unsupported(`metadata.${reserved}`, 'reserved for the plugin');

  const input: KeyInput = {};
  if (body.name !== undefined) input.name = body.name;
  if (body.scopes !== undefined) input.scopes = permissionStrings(body.scopes);
  if (body.permissions !== undefined) input.permissions = body.permissions;
  if (body.expiresIn !== undefined) input.expiresIn = body.expiresIn;
  if ('prefix' in body && body.prefix !== undefined) input.prefix = body.prefix.replace(/_$/, '');
  if (metadata !== undefined) input.metadata = metadata;
  if ('enabled' in body && body.enabled !== undefined) input.enabled = body.enabled;
  input.rateLimit = rateLimitOf(body);
  if (input.rateLimit === undefined) delete input.rateLimit;
  return input;
}

/** `rateLimit`, or the stock `rateLimitMax` + `rateLimitTimeWindow` pair (both, and not with `rateLimit`). */
function rateLimitOf(body: CreateKeyBody | UpdateKeyBody): KeyInput['rateLimit'] {
  const { rateLimitMax: max, rateLimitTimeWindow: windowMs } = body;
  if (max === undefined && windowMs === undefined) return body.rateLimit;
  if (body.rateLimit !== undefined) throw unsupported('rateLimitMax', 'give rateLimit or rateLimitMax with rateLimitTimeWindow, not both');
  if (max === undefined || windowMs === undefined) throw unsupported(max === undefined ? 'rateLimitTimeWindow' : 'rateLimitMax', 'rateLimitMax and rateLimitTimeWindow go together');
  return { max, windowMs };
}
