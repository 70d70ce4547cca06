import { APIError } from 'better-auth/api';
import { keyInputOf } from './keyInput';
import { createKeyBodySchema, updateKeyBodySchema } from './schema';

const create = (body: unknown) => keyInputOf(createKeyBodySchema.parse(body), 'u1');
const update = (body: unknown) => keyInputOf(updateKeyBodySchema.parse({ keyId: 'k1', ...(body as object) }), 'u1');
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof APIError ? { status: error.statusCode, ...(error.body as object) } : error;
  }
  throw new Error('expected a refusal');
};

describe('keyInputOf: the stock plugin’s body fields', () => {
  it('maps the stock spellings to ours: the permission map, rateLimitMax + rateLimitTimeWindow, a prefix ending in _', () => {
    expect(create({ name: 'ci', prefix: 'sk_live_', permissions: { orders: ['read'] }, rateLimitMax: 10, rateLimitTimeWindow: 60_000, metadata: { team: 'ops' }, remaining: null })).toEqual({
      name: 'ci',
      prefix: 'sk_live',
      permissions: { orders: ['read'] },
      rateLimit: { max: 10, windowMs: 60_000 },
      metadata: { team: 'ops' },
    });
    expect(update({ enabled: false })).toEqual({ enabled: false });
  });

  it('takes scopes as strings or as the permission map: strings either way', () => {
    expect(create({ scopes: { orders: ['read', 'write'], users: ['*'] } }).scopes).toEqual(['orders:read', 'orders:write', 'users:*']);
    expect(create({ scopes: ['orders:read'] }).scopes).toEqual(['orders:read']);
  });

  it.each([
    [{ remaining: 100 }, 'remaining'],
    [{ refillAmount: 10, refillInterval: 1_000 }, 'refillAmount'],
    [{ refillInterval: 1_000 }, 'refillInterval'],
    [{ rateLimitEnabled: false }, 'rateLimitEnabled'],
    [{ rateLimitMax: 10 }, 'rateLimitMax'],
    [{ rateLimitTimeWindow: 10_000 }, 'rateLimitTimeWindow'],
    [{ rateLimitMax: 10, rateLimitTimeWindow: 10_000, rateLimit: { max: 1, windowMs: 1_000 } }, 'rateLimitMax'],
    [{ userId: 'someone-else' }, 'userId'],
    [{ organizationId: 'org1' }, 'organizationId'],
    [{ metadata: { rateLimit: { max: 1_000_000, windowMs: 1_000 } } }, 'metadata.rateLimit'],
  ])('refuses %j with 400 UNSUPPORTED_FIELD naming %s, never ignoring it', (body, field) => {
    expect(refusal(() => create(body))).toMatchObject({ status: 400, code: 'UNSUPPORTED_FIELD', field });
  });

  it('accepts the caller’s own userId and rateLimitEnabled: true (every key is limited)', () => {
    expect(create({ userId: 'u1', rateLimitEnabled: true })).toEqual({});
  });

  it('refuses another configuration and a disabled key at creation at the schema (400)', () => {
    expect(createKeyBodySchema.safeParse({ configId: 'other' }).success).toBe(false);
    expect(createKeyBodySchema.safeParse({ enabled: false }).success).toBe(false);
  });
});
