import type { ApiKey } from '@libs/database/models';
import { checkKey, missingScopes, type KeyFacts } from './apiKeys';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const key = (extra: Partial<KeyFacts> = {}): KeyFacts => ({ status: 'ACTIVE', isActive: true, revokedAt: null, expiresAt: null, scopes: ['orders:read'], permissions: null, ...extra });

describe('checkKey: the one key check (fake clock)', () => {
  it('an ACTIVE key without expiry and with the scope passes', () => {
    expect(checkKey(key(), ['orders:read'], NOW)).toEqual({ ok: true });
  });

  it.each<[string, Partial<KeyFacts>, string]>([
    ['revoked by status', { status: 'REVOKED', isActive: false }, 'REVOKED'],
    ['revoked by revokedAt (status not yet written)', { revokedAt: new Date(NOW - 1) }, 'REVOKED'],
    ['revoked and expired: revoked wins', { status: 'REVOKED', expiresAt: new Date(NOW - 1) }, 'REVOKED'],
    ['expired at exactly now', { expiresAt: new Date(NOW) }, 'EXPIRED'],
    ['swept to EXPIRED', { status: 'EXPIRED', isActive: false }, 'EXPIRED'],
    ['disabled (INACTIVE)', { status: 'INACTIVE', isActive: false }, 'INACTIVE'],
    ['ACTIVE but isActive false', { isActive: false }, 'INACTIVE'],
  ])('%s', (_name, extra, reason) => {
    expect(checkKey(key(extra), [], NOW)).toEqual({ ok: false, reason });
  });

  it('expiry is judged on the clock given, not the wall clock', () => {
    const k = key({ expiresAt: new Date(NOW + 1_000) });
    expect(checkKey(k, [], NOW + 999).ok).toBe(true);
    expect(checkKey(k, [], NOW + 1_000)).toEqual({ ok: false, reason: 'EXPIRED' });
  });

  it('a scope mismatch lists what is missing (after status and expiry)', () => {
    expect(checkKey(key(), ['orders:read', 'orders:write', 'users:read'], NOW)).toEqual({ ok: false, reason: 'INSUFFICIENT_SCOPE', missingScopes: ['orders:write', 'users:read'] });
    expect(checkKey(key({ status: 'INACTIVE' }), ['users:read'], NOW)).toMatchObject({ reason: 'INACTIVE' });
  });
});

describe('missingScopes: wildcards and the permissions JSON', () => {
  it.each<[string, string[], ApiKey['permissions'], string[], string[]]>([
    ['exact', ['orders:read'], null, ['orders:read'], []],
    ['resource wildcard', ['orders:*'], null, ['orders:read', 'orders:write', 'users:read'], ['users:read']],
    ['*:*', ['*:*'], null, ['orders:read', 'users:delete'], []],
    ['* (everything the owner may do)', ['*'], null, ['anything', 'users:read'], []],
    ['no wildcard across resources', ['order:*'], null, ['orders:read'], ['orders:read']],
    ['permissions JSON', [], { orders: ['read'] }, ['orders:read', 'orders:write'], ['orders:write']],
    ['nothing required', [], null, [], []],
  ])('%s', (_name, scopes, permissions, required, missing) => {
    expect(missingScopes({ scopes, permissions }, required)).toEqual(missing);
  });
});
