import type { User } from '@libs/database/models';
import { SessionRule, sessionState } from './sessions';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const user = (extra: Partial<User> = {}): User => ({ id: 'u1', status: 'ACTIVE', isDeleted: false, banExpiresAt: null, ...extra }) as User;
const session = (extra: { isActive?: boolean; expiresAt?: Date } = {}) => ({ isActive: true, expiresAt: new Date(NOW + 60_000), ...extra });

describe('the session rule (fake clock)', () => {
  let now = NOW;
  const rule = new SessionRule({ now: () => now });
  beforeEach(() => (now = NOW));

  it('a live session of an ACTIVE user is live', () => {
    const u = user();
    expect(rule.decide(session(), u)).toEqual({ live: true, user: u, lapsedBan: false });
  });

  it('expires at its expiresAt on the injected clock, not the wall clock', () => {
    const s = session({ expiresAt: new Date(NOW + 1_000) });
    expect(rule.decide(s, user()).live).toBe(true);
    now = NOW + 1_000;
    expect(rule.decide(s, user())).toEqual({ live: false, reason: 'EXPIRED' });
    expect(rule.state(s)).toBe('expired');
  });

  it('an ended session is not live, however far its expiry', () => {
    expect(rule.decide(session({ isActive: false }), user())).toEqual({ live: false, reason: 'ENDED' });
    expect(sessionState(session({ isActive: false, expiresAt: new Date(NOW - 1) }), NOW)).toBe('ended');
  });

  it('no session row', () => {
    expect(rule.decide(null, user())).toEqual({ live: false, reason: 'NO_SESSION' });
  });

  it.each([
    ['BANNED', user({ status: 'BANNED' }), 'BANNED'],
    ['soft-deleted', user({ isDeleted: true }), 'DELETED'],
    ['INACTIVE', user({ status: 'INACTIVE' }), 'INACTIVE'],
    ['missing', null, 'NO_USER'],
  ] as const)('a live session of a %s user is refused for the user', (_name, u, reason) => {
    expect(rule.decide(session(), u)).toEqual({ live: false, reason: 'USER', user: reason });
  });

  it('a ban that lapsed by the injected clock lets the session be used, flagged', () => {
    const banned = user({ status: 'BANNED', banExpiresAt: new Date(NOW + 10) });
    expect(rule.decide(session(), banned)).toMatchObject({ live: false, user: 'BANNED' });
    now = NOW + 10;
    expect(rule.decide(session(), banned)).toEqual({ live: true, user: banned, lapsedBan: true });
  });

  it('decideOwner ignores the row (a reader that must see expired rows) but not the user', () => {
    expect(rule.decideOwner(user()).live).toBe(true);
    expect(rule.decideOwner(user({ status: 'BANNED' })).live).toBe(false);
  });

  it('uses the injected user decision (the access core lifts lapsed bans through it)', () => {
    const seen: string[] = [];
    const custom = new SessionRule({ now: () => now, decideUser: (u) => (seen.push(u?.id ?? '-'), { ok: false, reason: 'PENDING' }) });
    expect(custom.decide(session(), user())).toEqual({ live: false, reason: 'USER', user: 'PENDING' });
    expect(custom.decide(session({ isActive: false }), user())).toMatchObject({ reason: 'ENDED' });
    expect(seen).toEqual(['u1']); // an ended row never asks about its user
  });
});
