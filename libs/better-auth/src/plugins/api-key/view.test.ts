import type { ApiKey } from '@libs/database/models';
import { toKeyView } from './view';
import { toStockFields } from './stockView';
import { verifyAnswer } from './verifyAnswer';
import { API_KEY_ERROR_CODES } from './error-codes';

const key = (over: Partial<ApiKey> = {}): Omit<ApiKey, 'keyHash'> => ({
  id: 'k1',
  name: 'ci',
  keyIdentifier: 'ABCDEFGHIJKL',
  keyPreview: 'sk_ABCDEFGHIJKL…wxyz',
  userId: 'u1',
  storeId: null,
  status: 'ACTIVE',
  isActive: true,
  permissions: null,
  scopes: ['a:b'],
  expiresAt: null,
  lastUsedAt: null,
  usageCount: 0,
  revokedAt: null,
  revokedBy: null,
  revokedReason: null,
  metadata: { rateLimit: { max: 5, windowMs: 1_000 } },
  createdBy: 'u1',
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...over,
});

describe('toKeyView', () => {
  it('shows the preview and the rate limit, never the identifier as a key', () => {
    const view = toKeyView(key());
    expect(view).toMatchObject({ id: 'k1', keyPreview: 'sk_ABCDEFGHIJKL…wxyz', status: 'ACTIVE', rateLimit: { max: 5, windowMs: 1_000 } });
    expect(view).not.toHaveProperty('keyHash');
    expect(view).not.toHaveProperty('keyIdentifier');
  });

  it('says EXPIRED for an ACTIVE row past its expiry (before the sweep marks it)', () => {
    expect(toKeyView(key({ expiresAt: new Date(1_000) }), 2_000).status).toBe('EXPIRED');
    expect(toKeyView(key({ expiresAt: new Date(3_000) }), 2_000).status).toBe('ACTIVE');
    expect(toKeyView(key({ status: 'REVOKED', expiresAt: new Date(1_000) }), 2_000).status).toBe('REVOKED');
  });
});

describe('verifyAnswer', () => {
  it('maps refusals to their status, code and Retry-After', () => {
    expect(verifyAnswer({ ok: false, status: 429, error: API_KEY_ERROR_CODES.RATE_LIMITED, retryAfterS: 7 })).toEqual({
      status: 429,
      body: { valid: false, code: 'RATE_LIMITED', message: 'Rate limit exceeded for this API key', error: { code: 'RATE_LIMITED', message: 'Rate limit exceeded for this API key' }, key: null },
      headers: { 'retry-after': '7' },
    });
    expect(verifyAnswer({ ok: false, status: 403, error: API_KEY_ERROR_CODES.INSUFFICIENT_SCOPE, missingScopes: ['x:y'] }).body).toMatchObject({ missingScopes: ['x:y'] });
  });
});

describe('toStockFields', () => {
  it('answers the stock plugin’s key fields from our row: prefix and start from the preview, the limit from metadata', () => {
    expect(toStockFields(key({ keyPreview: 'sk_live_ABCDEFGHIJKL…wxyz', permissions: { orders: ['read'] } }))).toMatchObject({
      id: 'k1',
      name: 'ci',
      start: 'sk_live_ABCDEFGHIJKL',
      prefix: 'sk_live',
      referenceId: 'u1',
      userId: 'u1',
      enabled: true,
      rateLimitEnabled: true,
      rateLimitMax: 5,
      rateLimitTimeWindow: 1_000,
      remaining: null,
      refillAmount: null,
      permissions: { orders: ['read'] },
      metadata: null,
    });
  });

  it('shows the client’s own metadata, never the plugin’s reserved keys; a disabled or revoked key is not enabled', () => {
    expect(toStockFields(key({ metadata: { rateLimit: { max: 1, windowMs: 1_000 }, rotatedFrom: 'k0', team: 'ops' } })).metadata).toEqual({ team: 'ops' });
    expect(toStockFields(key({ status: 'INACTIVE' })).enabled).toBe(false);
    expect(toStockFields(key({ status: 'REVOKED' })).enabled).toBe(false);
  });
});
