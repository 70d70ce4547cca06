import type { User } from '@libs/database/models';
import { canAct, type ActDecision } from './canAct';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const before = new Date(NOW - 1);
const after = new Date(NOW + 60_000);
type Subject = Pick<User, 'status' | 'isDeleted' | 'banExpiresAt'>;
const user = (status: Subject['status'], extra: Partial<Subject> = {}): Subject => ({ status, isDeleted: false, banExpiresAt: null, ...extra });

const allowed: ActDecision = { ok: true, lapsedBan: false };
const refused = (reason: Extract<ActDecision, { ok: false }>['reason']): ActDecision => ({ ok: false, reason });

describe('canAct: the one status rule', () => {
  it.each<[string, Subject | null | undefined, ActDecision]>([
    ['no user (null)', null, refused('NO_USER')],
    ['no user (undefined)', undefined, refused('NO_USER')],
    ['ACTIVE', user('ACTIVE'), allowed],
    ['ACTIVE with a stale ban expiry', user('ACTIVE', { banExpiresAt: before }), allowed],
    ['INACTIVE', user('INACTIVE'), refused('INACTIVE')],
    ['PENDING', user('PENDING'), refused('PENDING')],
    ['DELETED status', user('DELETED'), refused('DELETED')],
    ['ACTIVE but soft-deleted', user('ACTIVE', { isDeleted: true }), refused('DELETED')],
    ['BANNED but soft-deleted, ban lapsed', user('BANNED', { isDeleted: true, banExpiresAt: before }), refused('DELETED')],
    ['BANNED without expiry (permanent)', user('BANNED'), refused('BANNED')],
    ['BANNED until later', user('BANNED', { banExpiresAt: after }), refused('BANNED')],
    ['BANNED until 1 ms from now', user('BANNED', { banExpiresAt: new Date(NOW + 1) }), refused('BANNED')],
    ['BANNED until exactly now (lapsed)', user('BANNED', { banExpiresAt: new Date(NOW) }), { ok: true, lapsedBan: true }],
    ['BANNED until a moment ago (lapsed)', user('BANNED', { banExpiresAt: before }), { ok: true, lapsedBan: true }],
    ['an unknown status (a newer schema)', user('SUSPENDED' as Subject['status']), refused('INACTIVE')],
  ])('%s', (_name, subject, expected) => {
    expect(canAct(subject, NOW)).toEqual(expected);
  });

  it('decides on the clock it is given, not the wall clock', () => {
    const banned = user('BANNED', { banExpiresAt: new Date(NOW) });
    expect(canAct(banned, NOW - 1)).toEqual(refused('BANNED'));
    expect(canAct(banned, NOW)).toEqual({ ok: true, lapsedBan: true });
  });
});
