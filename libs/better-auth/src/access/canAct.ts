import type { User } from '@libs/database/models';

/** Why a user may not act: what the status says, or that there is no such (live) user. */
export type ActRefusal = 'NO_USER' | 'DELETED' | 'BANNED' | 'INACTIVE' | 'PENDING';

export type ActDecision = { ok: true; lapsedBan: boolean } | { ok: false; reason: ActRefusal };

const ALLOWED: ActDecision = { ok: true, lapsedBan: false };
const LAPSED: ActDecision = { ok: true, lapsedBan: true };

/**
 * The one rule of who may act — sign in, use a session, use an API key, hold permissions:
 * a user that exists, is not soft-deleted, and is ACTIVE, or BANNED with a `banExpiresAt` that has
 * passed (a temporary ban lapses on time; `lapsedBan` tells the caller to record that). Every
 * other status (INACTIVE, PENDING, DELETED, a ban without expiry or not yet over) refuses.
 */
export function canAct(user: Pick<User, 'status' | 'isDeleted' | 'banExpiresAt'> | null | undefined, now: number): ActDecision {
  if (!user) return { ok: false, reason: 'NO_USER' };
  if (user.isDeleted || user.status === 'DELETED') return { ok: false, reason: 'DELETED' };
  switch (user.status) {
    case 'ACTIVE':
      return ALLOWED;
    case 'BANNED':
      return user.banExpiresAt && user.banExpiresAt.getTime() <= now ? LAPSED : { ok: false, reason: 'BANNED' };
    case 'INACTIVE':
    case 'PENDING':
      return { ok: false, reason: user.status };
    default:
      return { ok: false, reason: 'INACTIVE' };
  }
}

/**
 * `canAct` as a filter on users, for questions the database answers (how many may act): not
 * soft-deleted, and ACTIVE or BANNED with a `banExpiresAt` at or before `now`. The same rule as
 * above; change both together.
 */
export function canActWhere(now: Date) {
  return { isDeleted: false, OR: [{ status: 'ACTIVE' as const }, { status: 'BANNED' as const, banExpiresAt: { lte: now } }] };
}
