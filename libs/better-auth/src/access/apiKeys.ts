import { apiKeyGrant, type ApiKey } from '@libs/database/models';
import { permissionGrants } from './permissions';

/** Why a found key may not be used (its owner's standing is `canAct`'s, decided after this). */
export type KeyRefusal = 'REVOKED' | 'EXPIRED' | 'INACTIVE' | 'INSUFFICIENT_SCOPE';

export type KeyFacts = Pick<ApiKey, 'status' | 'isActive' | 'revokedAt' | 'expiresAt' | 'scopes' | 'permissions'>;

export type KeyCheck = { ok: true } | { ok: false; reason: Exclude<KeyRefusal, 'INSUFFICIENT_SCOPE'> } | { ok: false; reason: 'INSUFFICIENT_SCOPE'; missingScopes: string[] };

/**
 * The required permissions a key's grant lacks (`apiKeyGrant`: its scopes and `permissions` JSON,
 * matched with wildcards: `orders:*`, `*:*`, `*`).
 */
export function missingScopes(key: Pick<KeyFacts, 'scopes' | 'permissions'>, required: readonly string[]): string[] {
  if (required.length === 0) return [];
  const grant = apiKeyGrant(key);
  return required.filter((wanted) => !permissionGrants(grant, wanted));
}

/**
 * The one check of a found key at `now` (the repository only finds it and matches its secret):
 * revoked (status or `revokedAt`) beats expired, expired (`expiresAt` at or before `now`, or
 * already swept to EXPIRED) beats inactive (any other status, or `isActive` false); then every
 * required permission must be in the key's grant.
 */
export function checkKey(key: KeyFacts, required: readonly string[], now: number): KeyCheck {
  if (key.status === 'REVOKED' || key.revokedAt) return { ok: false, reason: 'REVOKED' };
  if (key.expiresAt && key.expiresAt.getTime() <= now) return { ok: false, reason: 'EXPIRED' };
  if (key.status !== 'ACTIVE' || !key.isActive) return { ok: false, reason: key.status === 'EXPIRED' ? 'EXPIRED' : 'INACTIVE' };
  const missing = missingScopes(key, required);
  return missing.length > 0 ? { ok: false, reason: 'INSUFFICIENT_SCOPE', missingScopes: missing } : { ok: true };
}
