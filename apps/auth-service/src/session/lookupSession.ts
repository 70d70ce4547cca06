import type { SessionRepository, UserRepository } from '@libs/database/postgress/repositories';
import type { SessionCredential } from './readSessionToken';
import { sessionBody } from './sessionBody';
import type { SessionSettings } from './sessionSettings';
import type { StoredSessionReader } from './storedSession';

export interface SessionLookupRepositories {
  sessions: Pick<SessionRepository, 'findActiveByToken'>;
  users: Pick<UserRepository, 'findById'>;
}

/**
 * What Better-Auth's get-session would answer: `defer` (it must answer itself), `null` (with
 * its session-cookie deletions when a token was looked up and not found), or a session (the
 * JSON body, and the session id for activity tracking).
 */
export type SessionLookup = { kind: 'defer' } | { kind: 'null'; expireCookies: boolean } | { kind: 'session'; body: string; sessionId: string };

/** Statuses whose sessions work; BANNED, INACTIVE, DELETED and PENDING users get `null`. */
const ACTIVE_STATUS = 'ACTIVE';

const DEFER: SessionLookup = { kind: 'defer' };
const NO_CREDENTIAL: SessionLookup = { kind: 'null', expireCookies: false };
const NOT_FOUND: SessionLookup = { kind: 'null', expireCookies: true };

/** Inside the refresh window Better-Auth extends the session and re-sets the cookie. */
const inRefreshWindow = (expiresAtMs: number, settings: SessionSettings) => expiresAtMs - settings.expiresInMs + settings.updateAgeMs <= Date.now();

/**
 * Better-Auth's `findSession` (secondary storage first when configured, then the database through
 * the cached repositories, which see only live sessions of ACTIVE users) followed by getSession's
 * expiry and refresh checks. Repository errors propagate (an outage is a 503, never a `null`).
 */
export async function lookupSession(
  credential: SessionCredential,
  settings: SessionSettings,
  repositories: SessionLookupRepositories,
  snapshots: StoredSessionReader,
): Promise<SessionLookup> {
  if (credential.kind === 'defer') return DEFER;
  if (credential.kind === 'none') return NO_CREDENTIAL;
  const { token } = credential;
  if (settings.storage) {
    const value = await settings.storage.get(token);
    if (value) {
      const stored = await snapshots.read(settings.storage, value);
      if (stored === 'defer') return DEFER;
      if (!stored) return NOT_FOUND;
      // Expired: Better-Auth also deletes the session. Refresh window: it extends it.
      if (stored.expiresAtMs < Date.now() || inRefreshWindow(stored.expiresAtMs, settings)) return DEFER;
      return { kind: 'session', body: stored.body, sessionId: stored.sessionId };
    }
    if (!settings.storage.databaseFallback) return NOT_FOUND;
  }
  const session = await repositories.sessions.findActiveByToken(token);
  if (!session) return NOT_FOUND;
  if (inRefreshWindow(session.expiresAt.getTime(), settings)) return DEFER;
  const user = await repositories.users.findById(session.userId);
  if (!user || user.status !== ACTIVE_STATUS || user.isDeleted) return NOT_FOUND;
  return { kind: 'session', body: sessionBody(session, user, settings.sessionFields, settings.userFields), sessionId: session.id };
}
