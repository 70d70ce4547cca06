import { ApiKeyCreateInputSchema } from './ApiKey';
import { RoleCreateInputSchema } from './role';
import { reviveUserSession, UserSessionCreateInputSchema } from './session';
import { INPUT_LIMITS } from './types';
import { reviveUser, UserCreateInputSchema, UserUpdateInputSchema, type User } from './user';

describe('input schemas', () => {
  it('stores the email as given and derives a name when none is given', () => {
    expect(UserCreateInputSchema.parse({ email: 'Ada@Example.COM', firstName: 'Ada', lastName: 'Lovelace' })).toMatchObject({
      email: 'Ada@Example.COM',
      name: 'Ada Lovelace',
    });
    expect(UserCreateInputSchema.parse({ email: 'grace@example.com' }).name).toBe('grace');
  });

  it('takes an empty image (Better-Auth sends "" for none) and refuses one that is not a URL', () => {
    expect(UserCreateInputSchema.parse({ email: 'a@b.co', image: '' }).image).toBe('');
    expect(UserUpdateInputSchema.parse({ image: '' }).image).toBe('');
    expect(UserCreateInputSchema.safeParse({ email: 'a@b.co', image: 'not a url' }).success).toBe(false);
  });

  it.each([
    ['a NUL byte', { email: 'a@b.co', name: 'x\u0000y' }],
    ['a 256-character name', { email: 'a@b.co', name: 'x'.repeat(256) }],
    ['a 255+ character email', { email: `${'a'.repeat(250)}@b.com` }],
    ['an invalid email', { email: 'not-an-email' }],
    ['an unknown field', { email: 'a@b.co', isAdmin: true }],
    ['metadata over 16 KiB', { email: 'a@b.co', metadata: { blob: 'x'.repeat(INPUT_LIMITS.jsonBytes) } }],
    ['a NUL inside metadata', { email: 'a@b.co', metadata: { k: 'a\u0000' } }],
    ['a javascript: image URL that is not a URL', { email: 'a@b.co', image: 'nope' }],
  ])('rejects a user with %s', (_case, input) => {
    expect(UserCreateInputSchema.safeParse(input).success).toBe(false);
  });

  it('bounds API key scopes and prefixes', () => {
    const base = { name: 'ci', userId: 'u1' };
    expect(ApiKeyCreateInputSchema.safeParse({ ...base, scopes: ['read'], prefix: 'sk_live' }).success).toBe(true);
    expect(ApiKeyCreateInputSchema.safeParse({ ...base, scopes: Array.from({ length: 65 }, (_, i) => `s${i}`) }).success).toBe(false);
    expect(ApiKeyCreateInputSchema.safeParse({ ...base, scopes: ['x'.repeat(129)] }).success).toBe(false);
    expect(ApiKeyCreateInputSchema.safeParse({ ...base, prefix: 'Bad Prefix' }).success).toBe(false);
  });

  it('checks permission strings and session tokens', () => {
    expect(RoleCreateInputSchema.safeParse({ name: 'admin', permissions: ['users:read', 'orders:*'] }).success).toBe(true);
    expect(RoleCreateInputSchema.safeParse({ name: 'admin', permissions: ['users'] }).success).toBe(false);
    expect(UserSessionCreateInputSchema.safeParse({ userId: 'u', token: 'short', expiresAt: new Date() }).success).toBe(false);
  });

  it('allows clearing optional fields on update', () => {
    expect(UserUpdateInputSchema.parse({ firstName: null, username: 'New.Name' })).toEqual({ firstName: null, username: 'new.name' });
  });
});

describe('revivers', () => {
  it('turn a JSON round-tripped user and session back into Dates', () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    const user = {
      id: 'u1', email: 'a@b.co', emailVerified: false, name: 'A', username: null, firstName: null, lastName: null, phone: null,
      image: null, locale: null, timezone: null, status: 'ACTIVE', banReason: null, bannedAt: null, banExpiresAt: null, roleId: null,
      roleAssignedAt: null, roleAssignedBy: null, roleExpiresAt: now, storeId: null, lastLoginAt: null, loginCount: 0, createdBy: null,
      updatedBy: null, deletedAt: null, deletedBy: null, isDeleted: false, metadata: { a: 1 }, auditLog: [], twoFactorEnabled: false, createdAt: now, updatedAt: now,
    } satisfies User;
    const revived = reviveUser(JSON.parse(JSON.stringify(user)));
    expect(revived).toEqual(user);
    // A row cached before the twoFactorEnabled column existed still revives.
    const { twoFactorEnabled: _absent, ...cachedBefore } = user;
    expect(reviveUser(JSON.parse(JSON.stringify(cachedBefore))).twoFactorEnabled).toBe(false);
    expect(revived.createdAt).toBeInstanceOf(Date);
    expect(() => reviveUserSession({ id: 'x' })).toThrow();
  });
});
