import { LRUCache } from 'lru-cache';
import type { User, UserSession } from '@libs/database/models';
import type { AccessCore, SessionCredential } from '@libs/better-auth';
import { sessionBody } from './sessionBody';
import type { SessionSettings } from './sessionSettings';

/** Where sessions are read: the access core (live session, a user who may act: access/sessions.ts). */
export type SessionSource = Pick<AccessCore, 'sessionByToken'>;

/**
 * What Better-Auth's get-session would answer: `defer` (it must answer itself), `null` (with
 * its session-cookie deletions when a token was looked up and not found), or a session (the
 * JSON body, and the session id for activity tracking).
 */
export type SessionLookup = { kind: 'defer' } | { kind: 'null'; expireCookies: boolean } | { kind: 'session'; body: string; sessionId: string };

const DEFER: SessionLookup = { kind: 'defer' };
const NO_CREDENTIAL: SessionLookup = { kind: 'null', expireCookies: false };
const NOT_FOUND: SessionLookup = { kind: 'null', expireCookies: true };

/** Inside the refresh window Better-Auth extends the session and re-sets the cookie. */
const inRefreshWindow = (expiresAtMs: number, settings: SessionSettings, now: number) => expiresAtMs - settings.expiresInMs + settings.updateAgeMs <= now;

/** Session bodies remembered: the busiest sessions, not every cached one. */
export const SESSION_BODY_MEMO = 10_000;

/**
 * The body of a cached `{ session, user }` pair. The repositories' L1 hands out the same frozen
 * rows until they change, so the JSON is built once per pair, not once per request — for the
 * most recently used pairs only: a body (the session and its user as JSON, several hundred
 * bytes) kept beside every L1 session grew with the sessions cached. A changed row is a new
 * object, so a remembered body is never stale; an evicted row is held here until it ages out.
 */
const bodies = new LRUCache<UserSession, { user: User; body: string }>({ max: SESSION_BODY_MEMO });

function bodyOf(session: UserSession, user: User, settings: SessionSettings): string {
  const known = bodies.get(session);
  if (known && known.user === user) return known.body;
  const body = sessionBody(session, user, settings.sessionFields, settings.userFields);
  if (Object.isFrozen(session)) bodies.set(session, { user, body });
  return body;
}

/**
 * Better-Auth's `findSession` through the access core (the repositories' cache, a user who may
 * act) followed by getSession's expiry and refresh checks. Repository errors propagate (an
 * outage is a 503, never a `null`).
 */
export async function lookupSession(credential: SessionCredential, settings: SessionSettings, source: SessionSource, now = Date.now()): Promise<SessionLookup> {
  if (credential.kind === 'defer') return DEFER;
  if (credential.kind === 'none') return NO_CREDENTIAL;
  const found = await source.sessionByToken(credential.token);
  if (!found) return NOT_FOUND;
  if (inRefreshWindow(found.session.expiresAt.getTime(), settings, now)) return DEFER;
  return { kind: 'session', body: bodyOf(found.session, found.user, settings), sessionId: found.session.id };
}
