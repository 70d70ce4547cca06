import type { User, UserSession } from '@libs/database/models';
import { canAct, type ActDecision, type ActRefusal } from './canAct';

/** What a session row is at a moment: usable, ended (signed out, revoked, replaced) or past its expiry. */
export type SessionState = 'live' | 'ended' | 'expired';

/** The fields the rule reads from a session row. */
export type SessionFacts = Pick<UserSession, 'isActive' | 'expiresAt'>;

/** Whether a session may be used, and when not, why: its own state or its user's (`canAct`). */
export type SessionDecision =
  | { live: true; user: User; lapsedBan: boolean }
  | { live: false; reason: 'NO_SESSION' | 'ENDED' | 'EXPIRED' }
  | { live: false; reason: 'USER'; user: ActRefusal };

/**
 * The row's own state at `now`: ended when `isActive` is false, expired when `expiresAt` is at or
 * before `now`, live otherwise. Repositories may filter on the same columns (`isActive`,
 * `expiresAt > now()`) to read less; this is what decides.
 */
export function sessionState(session: SessionFacts, now: number): SessionState {
  if (!session.isActive) return 'ended';
  return session.expiresAt.getTime() <= now ? 'expired' : 'live';
}

export interface SessionRuleDependencies {
  /** The clock every session decision reads. */
  now: () => number;
  /** Whether a session's user may act; the access core passes its own (which also lifts lapsed bans). @default canAct at `now()` */
  decideUser?: (user: User | null | undefined) => ActDecision;
}

/**
 * The one rule of "this session is live": a session row that is not ended and not expired (on the
 * injected clock), of a user who may act (`canAct`). The access core, Better-Auth's view of the
 * session rows, the WebSocket re-checks and the admin session list all ask it.
 */
export class SessionRule {
  readonly #now: () => number;
  readonly #decideUser: (user: User | null | undefined) => ActDecision;

  constructor(deps: SessionRuleDependencies) {
    this.#now = deps.now;
    this.#decideUser = deps.decideUser ?? ((user) => canAct(user, this.#now()));
  }

  /** The row's own state now (no user read needed: ask this first to skip it). */
  state(session: SessionFacts): SessionState {
    return sessionState(session, this.#now());
  }

  /** The whole rule: the session row live now and its user one who may act. */
  decide(session: SessionFacts | null | undefined, user: User | null | undefined): SessionDecision {
    if (!session) return { live: false, reason: 'NO_SESSION' };
    const state = this.state(session);
    if (state !== 'live') return { live: false, reason: state === 'ended' ? 'ENDED' : 'EXPIRED' };
    return this.decideOwner(user);
  }

  /**
   * The user half alone, for a reader that must see expired rows (Better-Auth ends an expired
   * session itself, by token, after reading it) but never a session of a user who may not act.
   */
  decideOwner(user: User | null | undefined): SessionDecision {
    const decision = this.#decideUser(user);
    return decision.ok && user ? { live: true, user, lapsedBan: decision.lapsedBan } : { live: false, reason: 'USER', user: decision.ok ? 'NO_USER' : decision.reason };
  }
}
