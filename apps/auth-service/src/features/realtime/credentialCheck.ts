import type { ISessionRepository } from '@libs/database/postgress/repositories';
import type { AccessCore } from '@libs/better-auth';
import { sessionPrincipal, type Principal } from '@libs/better-auth';
import { CLOSE_CODES, closeCodeForEndReason, WS_CONNECT_PERMISSION, type CloseCode } from './protocol';

/** The credential a socket was opened with, kept in memory only, to re-decide the socket (never logged). */
export type SocketCredential = { kind: 'session'; token: string } | { kind: 'apiKey'; key: string };

/** A socket stays (with its principal as re-read now and its credential's expiry) or closes with a code. */
export type Verdict = { stays: true; principal: Principal; expiresAt: number | null } | { stays: false; code: CloseCode };

export interface CredentialCheckDependencies {
  access: AccessCore;
  sessions: Pick<ISessionRepository, 'findById'>;
}

const stay = (principal: Principal): Verdict => {
  const expiresAt = principal.session?.expiresAt ?? principal.apiKey?.expiresAt ?? null;
  return { stays: true, principal, expiresAt: expiresAt ? expiresAt.getTime() : null };
};
const close = (code: CloseCode): Verdict => ({ stays: false, code });

/**
 * Re-decides an open socket with the access core, the way its upgrade was decided: a session
 * socket needs its session live and its user able to act (else the end reason's code, 4001 past
 * expiry, 4004 when the user may not act); a key socket needs the key valid (else 4006, or 4004
 * when its owner may not act) and still granting `realtime:connect` (else 4007). Repository
 * errors propagate: the caller decides what an unanswered check means.
 */
export async function credentialVerdict(deps: CredentialCheckDependencies, principal: Principal, credential: SocketCredential | null): Promise<Verdict> {
  const { access, sessions } = deps;
  if (credential?.kind === 'session' && principal.session) {
    const found = await access.sessionByToken(credential.token);
    if (found) return stay(sessionPrincipal(found.user, found.session));
    // Why not: the session rule's state of the row (ended, expired), else its user may not act.
    const row = await sessions.findById(principal.session.id);
    const state = row ? access.sessionRule.state(row) : 'ended';
    if (state === 'ended') return close(closeCodeForEndReason(row?.endReason));
    if (state === 'expired') return close(CLOSE_CODES.SESSION_EXPIRED);
    return close(CLOSE_CODES.USER_BANNED);
  }
  if (credential?.kind === 'apiKey') {
    const outcome = await access.authenticateKey(credential.key, { countRate: false });
    if (!outcome.ok) return close((await access.actingUser(principal.user.id)) ? CLOSE_CODES.KEY_REVOKED : CLOSE_CODES.USER_BANNED);
    const decision = await access.authorize(outcome.principal, WS_CONNECT_PERMISSION);
    return decision.granted ? stay(outcome.principal) : close(CLOSE_CODES.PERMISSION_REVOKED);
  }
  // Nothing to re-present: the user must still be able to act.
  const user = await access.actingUser(principal.user.id);
  return user ? stay({ ...principal, user }) : close(CLOSE_CODES.USER_BANNED);
}

/** The code a socket gets when its credential's known expiry passed and no check could say otherwise. */
export function expiryCloseCode(credential: SocketCredential | null): CloseCode {
  return credential?.kind === 'apiKey' ? CLOSE_CODES.KEY_REVOKED : CLOSE_CODES.SESSION_EXPIRED;
}

/** setTimeout's limit (~24.8 days): a later expiry is re-checked then, and armed again. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer (unref'd) that fires at `expiresAt` on the core's clock. */
export function expiryTimer(expiresAt: number, now: number, fire: () => void): NodeJS.Timeout {
  const timer = setTimeout(fire, Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - now)));
  timer.unref();
  return timer;
}
