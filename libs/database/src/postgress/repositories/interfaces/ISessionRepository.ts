import type { Prisma } from '../../../generated/prisma/client';
import type { SessionLog, UserSession, UserSessionCreateInput, UserSessionUpdateInput } from '../../../models';
import type { EndSessionOptions, UpstreamTokens } from '../session';
import type { IRepository } from './IRepository';

/** `UserSession` rows with their `SessionLog`. */
export interface ISessionRepository extends IRepository<UserSession, Prisma.UserSessionWhereInput, UserSessionCreateInput, UserSessionUpdateInput> {
  /** The live (not ended) session for `token`, expired or not (Better-Auth checks expiry itself). */
  findByToken(token: string): Promise<UserSession | null>;
  /** The session for `token` if it is live and not expired. */
  findActiveByToken(token: string): Promise<UserSession | null>;
  findActiveByUser(userId: string): Promise<UserSession[]>;
  /** Records activity, at most once per interval per session; whether a write happened. */
  touch(sessionId: string, now?: Date): Promise<boolean>;
  /** Ends one session with an ENDED log entry; ending an ended session changes nothing. */
  end(sessionId: string, options?: EndSessionOptions): Promise<UserSession>;
  endAllForUser(userId: string, options?: EndSessionOptions & { exceptSessionId?: string }): Promise<number>;
  /**
   * Stores refreshed upstream tokens (with a TOKENS_REFRESHED log entry) only while the stored
   * refresh token is `expectedRefreshToken`; null otherwise. Sign-in writes them with the session (`create`).
   */
  compareAndSetTokens(sessionId: string, expectedRefreshToken: string | null, tokens: UpstreamTokens): Promise<UserSession | null>;
  /** The live sessions of the IdP session `sid`. */
  findActiveByKeycloakSessionId(sid: string): Promise<UserSession[]>;
  getLogs(sessionId: string): Promise<SessionLog[]>;
  deleteExpired(before?: Date): Promise<number>;
}
