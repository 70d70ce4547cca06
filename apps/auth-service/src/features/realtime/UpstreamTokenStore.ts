import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { UserSession } from '@libs/database/models';
import type { ISessionRepository } from '@libs/database/postgress/repositories';
import type { UpstreamOidc } from '../../oidc/upstreamOidc';
import type { IUserEventRepository } from '@libs/database/postgress/repositories';
import { refreshAtIdp, UpstreamGrantError } from '../../oidc/tokenClient';

/** Compare-and-delete: only the holder's token releases the lock. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface UpstreamTokenStoreOptions {
  upstream: UpstreamOidc;
  sessions: Pick<ISessionRepository, 'findMany' | 'compareAndSetTokens' | 'end'>;
  events: Pick<IUserEventRepository, 'append'>;
  /** Shared lock across instances; without it, one refresh per session per instance (CAS still fences writes). */
  redis?: Redis;
  logger: FastifyBaseLogger;
  /** Tokens closer than this to expiry need a refresh. */
  skewMs: number;
  /** @default 15_000 */
  lockTtlMs?: number;
  now?: () => number;
}

/** The session ended while waiting (another instance got invalid_grant, or it was revoked). */
export class SessionGoneError extends Error {
  constructor(readonly endReason: string | null) {
    super('the session has ended');
    this.name = 'SessionGoneError';
  }
}

export interface ExchangeResult {
  session: UserSession;
  /** True when this call refreshed at the IdP; false when it read tokens another caller stored. */
  refreshed: boolean;
}

/**
 * One upstream refresh per session across all its connections and instances. The refresh
 * token rotates, so two concurrent refreshes would make the IdP revoke the whole grant: the
 * caller takes a Redis lock (`SET NX PX`, random holder token) and, holding it, re-reads the row
 * from Postgres; tokens still fresh → someone else refreshed, nothing to do. Otherwise it calls
 * the IdP and writes with a compare-and-set on the stored refresh token — the fence: a holder
 * whose lock lapsed mid-call cannot overwrite newer tokens. Losers wait for the lock and read.
 */
export class UpstreamTokenStore {
  readonly #o: UpstreamTokenStoreOptions;
  readonly #now: () => number;

  constructor(options: UpstreamTokenStoreOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** The session row from Postgres (not the cache: another instance may have just written it). */
  async read(sessionId: string): Promise<UserSession | undefined> {
    const [row] = await this.#o.sessions.findMany({ where: { id: sessionId } });
    return row;
  }

  isFresh(session: UserSession): boolean {
    const expires = session.accessTokenExpiresAt?.getTime();
    return expires !== undefined && expires - this.#now() > this.#o.skewMs;
  }

  async exchange(sessionId: string): Promise<ExchangeResult> {
    const lockTtl = this.#o.lockTtlMs ?? 15_000;
    const deadline = this.#now() + lockTtl * 2;
    for (;;) {
      const lock = await this.#acquire(sessionId, lockTtl);
      if (lock) {
        try {
          return await this.#exchangeHolding(sessionId);
        } finally {
          await lock.release();
        }
      }
      await this.#awaitRelease(sessionId, deadline);
      const session = await this.read(sessionId);
      if (!session || !session.isActive) throw new SessionGoneError(session?.endReason ?? null);
      if (this.isFresh(session)) return { session, refreshed: false };
      if (this.#now() > deadline) throw Object.assign(new Error('refresh lock not released'), { code: 'ETIMEDOUT' });
    }
  }

  async #exchangeHolding(sessionId: string): Promise<ExchangeResult> {
    const { upstream, sessions } = this.#o;
    const current = await this.read(sessionId);
    if (!current || !current.isActive) throw new SessionGoneError(current?.endReason ?? null);
    if (!current.refreshToken) throw Object.assign(new Error('no upstream grant on the session'), { code: 'invalid_grant' });
    if (this.isFresh(current)) return { session: current, refreshed: false };
    let tokens;
    try {
      tokens = await refreshAtIdp(upstream.discovery, upstream, upstream.cipher.decrypt(current.refreshToken), this.#now());
    } catch (error) {
      // The grant is gone: end the session while still holding the lock, so waiting callers
      // (every instance) read an ended session instead of trying the dead refresh token again.
      if (error instanceof UpstreamGrantError) await this.#endForGrant(current, error.code);
      throw error;
    }
    const written = await sessions.compareAndSetTokens(sessionId, current.refreshToken, {
      accessToken: upstream.cipher.encrypt(tokens.accessToken),
      // An IdP that does not rotate keeps the old refresh token.
      refreshToken: tokens.refreshToken ? upstream.cipher.encrypt(tokens.refreshToken) : current.refreshToken,
      idToken: upstream.cipher.encrypt(tokens.idToken) ?? current.idToken,
      accessTokenExpiresAt: tokens.accessTokenExpiresAt,
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
    });
    if (written) return { session: written, refreshed: true };
    // Fenced off: another writer stored newer tokens while this call ran.
    this.#o.logger.warn({ component: 'ws', sessionId }, 'upstream refresh lost the compare-and-set; reading the stored tokens');
    const stored = await this.read(sessionId);
    if (!stored || !stored.isActive) throw new SessionGoneError(stored?.endReason ?? null);
    return { session: stored, refreshed: false };
  }

  async #endForGrant(session: UserSession, code: string): Promise<void> {
    await this.#o.sessions.end(session.id, { reason: 'upstream_invalid_grant', by: 'idp' });
    await this.#o.events.append({ userId: session.userId, sessionId: session.id, eventType: 'upstream_refresh_failed', metadata: { error: code } });
  }

  async #acquire(sessionId: string, ttlMs: number): Promise<{ release(): Promise<void> } | undefined> {
    const redis = this.#o.redis;
    if (!redis) return { release: async () => undefined };
    const key = `ws:refresh-lock:${sessionId}`;
    const holder = randomUUID();
    try {
      if ((await redis.set(key, holder, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
    } catch (error) {
      // Redis down: refresh without the shared lock; the compare-and-set still fences the write.
      this.#o.logger.warn({ component: 'ws', code: (error as { code?: string }).code }, 'refresh lock unavailable; refreshing without it');
      return { release: async () => undefined };
    }
    return {
      release: async () => {
        await redis.eval(RELEASE, 1, key, holder).catch(() => undefined);
      },
    };
  }

  async #awaitRelease(sessionId: string, deadline: number): Promise<void> {
    const redis = this.#o.redis;
    if (!redis) return;
    const key = `ws:refresh-lock:${sessionId}`;
    while (this.#now() < deadline) {
      const held = await redis.exists(key).catch(() => 0);
      if (!held) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
