import type { UserSession } from '../../models';
import { reviveCachedSession, sessionWithToken, toCachedSession } from './cachedSession';

const row = (overrides: Partial<UserSession> = {}): UserSession =>
  ({
    id: 'sess_1',
    token: 'secret-token',
    userId: 'user_1',
    storeId: null,
    expiresAt: new Date('2030-01-01T00:00:00.000Z'),
    ipAddress: '10.0.0.1',
    userAgent: 'Mozilla/5.0',
    keycloakSessionId: null,
    accessToken: null,
    refreshToken: null,
    idToken: null,
    accessTokenExpiresAt: null,
    refreshTokenExpiresAt: null,
    fingerprint: null,
    deviceInfo: null,
    lastAccessedAt: new Date('2029-12-01T00:00:00.000Z'),
    isActive: true,
    endedAt: null,
    endReason: null,
    metadata: null,
    activeOrganizationId: null,
    activeTeamId: null,
    createdAt: new Date('2029-11-01T00:00:00.000Z'),
    updatedAt: new Date('2029-11-02T00:00:00.000Z'),
    ...overrides,
  }) as UserSession;

describe('cached session shape', () => {
  it('keeps neither the token nor the null columns', () => {
    const cached = toCachedSession(row());
    expect(Object.keys(cached).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'ipAddress', 'isActive', 'lastAccessedAt', 'updatedAt', 'userAgent', 'userId']);
  });

  it('gives back the whole row with the presented token', () => {
    expect(sessionWithToken(toCachedSession(row()), 'secret-token')).toEqual(row());
    expect(sessionWithToken(toCachedSession(row({ keycloakSessionId: 'sid', deviceInfo: { os: 'x' } })), 'other')).toEqual(row({ token: 'other', keycloakSessionId: 'sid', deviceInfo: { os: 'x' } }));
  });

  it('one row object per cached session and token while it is recent; frozen when the cached one is', () => {
    const cached = Object.freeze(toCachedSession(row()));
    const first = sessionWithToken(cached, 'secret-token');
    expect(sessionWithToken(cached, 'secret-token')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(sessionWithToken(cached, 'another').token).toBe('another');
  });

  it('shares repeated strings between sessions', () => {
    const a = toCachedSession(row({ userAgent: ['Mozilla', '5.0'].join('/') }));
    const b = toCachedSession(row({ id: 'sess_2', userAgent: ['Mozilla', '5.0'].join('/') }));
    expect(a.userAgent).toBe(b.userAgent);
  });

  it('revives what Redis holds, compact or a whole row of an earlier version, and rejects junk', () => {
    const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    const revivedCompact = reviveCachedSession(json(toCachedSession(row())));
    const revivedWhole = reviveCachedSession(json({ ...row(), token: '' }));
    for (const revived of [revivedCompact, revivedWhole]) {
      expect(revived.expiresAt).toBeInstanceOf(Date);
      expect(sessionWithToken(revived, 'secret-token')).toEqual(row());
    }
    expect(() => reviveCachedSession({ id: 1 })).toThrow();
  });
});

describe('cached session column order', () => {
  it('the rebuilt row keeps the columns in the order Prisma returns them', () => {
    expect(Object.keys(sessionWithToken(toCachedSession(row()), 't'))).toEqual(Object.keys(row()));
  });
});
