import type { FastifyBaseLogger } from 'fastify';
import type { UserSession } from '@libs/database/models';
import type { IMetricsCollector } from '@libs/monitoring';
import { releaseConnection } from '@libs/utils';
import { CLOSE_CODES, closeCodeForEndReason, endedReasonOf, envelope, type CloseCode } from './protocol';
import { SessionGoneError, type ExchangeResult } from './UpstreamTokenStore';

export interface SessionRefresherDependencies {
  /** Seed Example 4: `WebSocketAuthService.refreshUpstream`, through `executeWebSocketTokenRefresh`. */
  refresh: (sessionId: string, tokenExpiresAt: number) => Promise<ExchangeResult>;
  /** One frame to every socket of the session on this instance. */
  broadcast: (sessionId: string, frame: string) => number;
  /** Closes the session's sockets on this instance (after `frame`). */
  close: (sessionId: string, code: CloseCode, reason: string, frame?: string) => number;
  metrics: IMetricsCollector;
  logger: FastifyBaseLogger;
  skewMs: number;
  graceMs: number;
  /** Between tries while the IdP is down. @default 1_000 */
  retryMs?: number;
  now?: () => number;
}

/** The OAuth error codes that mean the grant is gone (the session must end). */
function grantErrorOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (code === 'invalid_grant' || code === 'invalid_client' || code === 'unauthorized_client') return code;
  }
  return undefined;
}

function goneOf(error: unknown): SessionGoneError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) if (e instanceof SessionGoneError) return e;
  return undefined;
}

/**
 * Keeps the upstream tokens of sessions with sockets on this instance fresh: one timer per
 * session at `accessTokenExpiresAt - skew`. Success → `token_refreshed` to its sockets. IdP
 * unavailable → `session_expiring` and tries again until the access token's expiry plus the grace
 * period, then closes with 4005. `invalid_grant` → the session ends (UserEvent), `session_ended`, 4005.
 * Owned by the `WebSocketAuthService` (it builds it with callbacks into itself: no setter, no cycle).
 */
export class SessionRefresher {
  readonly #d: SessionRefresherDependencies;
  readonly #now: () => number;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #stopped = false;

  constructor(deps: SessionRefresherDependencies) {
    this.#d = deps;
    this.#now = deps.now ?? Date.now;
  }

  get tracked(): number {
    return this.#timers.size;
  }

  /** Starts refreshing a session that has upstream tokens (idempotent). */
  track(session: UserSession): void {
    if (this.#stopped || !session.refreshToken || !session.accessTokenExpiresAt || this.#timers.has(session.id)) return;
    this.#schedule(session.id, session.accessTokenExpiresAt.getTime(), session.accessTokenExpiresAt.getTime() - this.#d.skewMs);
  }

  untrack(sessionId: string): void {
    const timer = this.#timers.get(sessionId);
    if (timer) clearTimeout(timer);
    this.#timers.delete(sessionId);
    releaseConnection(`session:${sessionId}`);
  }

  stop(): void {
    this.#stopped = true;
    for (const id of [...this.#timers.keys()]) this.untrack(id);
  }

  #schedule(sessionId: string, expiresAt: number, at: number): void {
    const previous = this.#timers.get(sessionId);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(() => void this.#run(sessionId, expiresAt), Math.max(0, at - this.#now()));
    timer.unref();
    this.#timers.set(sessionId, timer);
  }

  /**
   * `session.refresh`: the refresh the timer would run, now (the token store refreshes only a
   * token within the skew of its expiry; a fresher one is read back unchanged). The outcome is
   * handled as the timer's is — sockets told, timer moved, or the session's sockets closed —
   * and the error, if any, is thrown to the caller.
   */
  async refreshNow(sessionId: string, expiresAt: number): Promise<ExchangeResult> {
    let failure: unknown;
    const result = await this.#run(sessionId, expiresAt, (error) => (failure = error));
    if (!result) throw failure;
    return result;
  }

  async #run(sessionId: string, expiresAt: number, failed?: (error: unknown) => void): Promise<ExchangeResult | undefined> {
    const d = this.#d;
    try {
      const result = await d.refresh(sessionId, expiresAt);
      if (!this.#timers.has(sessionId)) return result;
      d.metrics.incrementEvent(`ws.refresh.${result.refreshed ? 'refreshed' : 'shared'}`);
      d.metrics.recordCircuitBreakerState('idp', 'closed');
      const next = result.session.accessTokenExpiresAt?.getTime() ?? this.#now();
      d.broadcast(sessionId, envelope('token_refreshed', { accessTokenExpiresAt: new Date(next).toISOString() }));
      this.#schedule(sessionId, next, next - d.skewMs);
      return result;
    } catch (error) {
      failed?.(error);
      if (!this.#timers.has(sessionId)) return undefined;
      const gone = goneOf(error);
      if (gone) {
        const code = closeCodeForEndReason(gone.endReason);
        d.close(sessionId, code, 'session ended', envelope('session_ended', { reason: endedReasonOf(code) }));
        return undefined;
      }
      const grantError = grantErrorOf(error);
      if (grantError) {
        this.#endSession(sessionId, grantError);
        return undefined;
      }
      d.metrics.incrementEvent('ws.refresh.idp_unavailable');
      d.metrics.recordCircuitBreakerState('idp', 'open');
      const closesAt = expiresAt + d.graceMs;
      if (this.#now() >= closesAt) {
        d.metrics.incrementEvent('ws.refresh.grace_expired');
        d.close(sessionId, CLOSE_CODES.REFRESH_FAILED, 'idp unavailable', envelope('session_ended', { reason: 'refresh_failed' }));
        return undefined;
      }
      d.broadcast(sessionId, envelope('session_expiring', { reason: 'idp_unavailable', closesAt: new Date(closesAt).toISOString() }));
      this.#schedule(sessionId, expiresAt, Math.min(this.#now() + (d.retryMs ?? 1_000), closesAt));
      return undefined;
    }
  }

  /** The token store has ended the session (UserEvent written); its sockets here close. */
  #endSession(sessionId: string, code: string): void {
    this.#d.metrics.incrementEvent('ws.refresh.invalid_grant');
    this.#d.logger.info({ component: 'ws', sessionId, code }, 'upstream grant refused; session ended');
    this.#d.close(sessionId, CLOSE_CODES.REFRESH_FAILED, 'refresh failed', envelope('session_ended', { reason: 'refresh_failed' }));
  }
}
