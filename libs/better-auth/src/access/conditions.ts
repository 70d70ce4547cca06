import type { PermissionConditions } from '@libs/database/models';

/** What a permission check is about, for conditions that look at the resource. */
export interface ResourceContext {
  /** The user the resource belongs to (a user's own profile, sessions, keys). */
  ownerId?: string | null;
  /** The store the resource is in. */
  storeId?: string | null;
}

/** Who is asking, as far as conditions go. */
export interface ConditionSubject {
  userId: string;
  storeId: string | null;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function inWindow(window: NonNullable<PermissionConditions['timeWindow']>, now: number): boolean {
  const date = new Date(now);
  if (window.days && !window.days.includes(date.getUTCDay())) return false;
  const minute = date.getUTCHours() * 60 + date.getUTCMinutes();
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  // start === end is the whole day; 22:00–06:00 wraps past midnight.
  if (start === end) return true;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * Whether every condition holds. A condition about the resource fails when the check has no
 * resource (`own` on a listing, say): a conditional grant never widens into an unconditional one.
 */
export function conditionsHold(conditions: PermissionConditions, subject: ConditionSubject, resource: ResourceContext | undefined, now: number): boolean {
  if (conditions.own && (!resource?.ownerId || resource.ownerId !== subject.userId)) return false;
  if (conditions.sameStore && (!subject.storeId || !resource?.storeId || resource.storeId !== subject.storeId)) return false;
  if (conditions.timeWindow && !inWindow(conditions.timeWindow, now)) return false;
  return true;
}
