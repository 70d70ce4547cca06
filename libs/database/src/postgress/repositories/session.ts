import { hash, randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client';
import {
  UserSessionCreateInputSchema,
  UserSessionUpdateInputSchema,
  type SessionLog,
  type UserSession,
  type UserSessionCreateInput,
  type UserSessionUpdateInput,
} from '../../models';
import { BaseRepository } from './base';
import { reviveCachedSession, sessionWithToken, toCachedSession } from './cachedSession';
import { cacheTags } from './cacheTags';
import { DEFAULT_NEGATIVE_LOOKUP_OPTIONS, NegativeLookups, type NegativeLookupOptions } from './NegativeLookups';
import type { TransactionState } from './prismaTypes';
import type { RepositoryDependencies } from './types';
import type { ISessionRepository } from './interfaces/ISessionRepository';

export interface SessionRepositoryOptions {
  /** `lastAccessedAt` is written at most once per session per interval. @default 60_000 */
  touchIntervalMs?: number;
  /** Sessions remembered by the in-process touch throttle. @default 10_000 */
  touchMemory?: number;
  /** Unknown tokens remembered in process, so a flood of random bearer tokens rarely reaches Postgres. */
  negativeLookup?: NegativeLookupOptions;
  /** Called when a presented token matches no live session (the app counts failed lookups per address). */
  onUnknownCredential?: () => void;
}

export const DEFAULT_SESSION_REPOSITORY_OPTIONS = { touchIntervalMs: 60_000, touchMemory: 10_000, negativeLookup: DEFAULT_NEGATIVE_LOOKUP_OPTIONS, onUnknownCredential: (): void => undefined };

export interface EndSessionOptions {
  /** Why (`logout`, `revoked`, `banned` …), stored in `endReason` and the log. @default 'logout' */
  reason?: string;
  /** Actor id for the log. */
  by?: string;
}

export interface UpstreamTokens {
  accessToken?: string | null;
  refreshToken?: string | null;
  idToken?: string | null;
  accessTokenExpiresAt?: Date | null;
  refreshTokenExpiresAt?: Date | null;
  /** Extends the session itself. */
  expiresAt?: Date;
  /** The IdP's session id (`sid`), set at sign-in. */
  keycloakSessionId?: string | null;
}

/**
 * Tokens never appear in cache keys (Redis keys show up in monitoring): a digest does. The
 * one-shot `hash` (Node ≥ 20.12) costs about half of `createHash().update().digest()`, which
 * matters on a path whose L1 hit is otherwise well under a microsecond.
 */
const tokenKey = (token: string) => `session:token:${hash('sha256', token, 'base64url').slice(0, 32)}`;

/** The CREATED `SessionLog` entry of a new session. */
function createdLog(input: Record<string, unknown>) {
  return { action: 'CREATED', userId: input['userId'], ipAddress: input['ipAddress'] ?? null, userAgent: input['userAgent'] ?? null };
}

/** `UserSession` rows with their `SessionLog`: create, find active by token, touch, end, refresh tokens. */
export class SessionRepository extends BaseRepository<UserSession, Prisma.UserSessionWhereInput, UserSessionCreateInput, UserSessionUpdateInput> implements ISessionRepository {
  readonly #options: Required<SessionRepositoryOptions>;
  readonly #touched: Map<string, number>;
  readonly #unknown: NegativeLookups;

  constructor(deps: RepositoryDependencies & { session?: SessionRepositoryOptions }, tx?: TransactionState, touched?: Map<string, number>, unknown?: NegativeLookups) {
    super(deps, { model: 'userSession', name: 'session', announces: true, createSchema: UserSessionCreateInputSchema, updateSchema: UserSessionUpdateInputSchema }, tx);
    this.#options = { ...DEFAULT_SESSION_REPOSITORY_OPTIONS, ...deps.session };
    this.#touched = touched ?? new Map();
    this.#unknown = unknown ?? new NegativeLookups(this.#options.negativeLookup);
  }

  protected override toCreateData(input: Record<string, unknown>): Record<string, unknown> {
    // The CREATED log entry goes in the same statement (Prisma nests it in one transaction).
    return { ...input, logs: { create: createdLog(input) } };
  }

  /**
   * The session and its CREATED log entry in one batch transaction: `BEGIN`, two `INSERT …
   * RETURNING`, `COMMIT`. A nested create (as inside a caller's transaction) also reads the row
   * back: one query more on every sign-in.
   */
  override async create(data: UserSessionCreateInput): Promise<UserSession> {
    if (this.tx) return super.create(data);
    const input = this.parse<Record<string, unknown>>('create', UserSessionCreateInputSchema, data);
    const id = (input['id'] as string | undefined) ?? randomUUID();
    const prisma = this.deps.db.prisma;
    const created = await this.executeOperation(
      'create',
      async () => {
        const [session] = await prisma.$transaction([
          prisma.userSession.create({ data: { ...input, id } as Prisma.UserSessionUncheckedCreateInput }),
          prisma.sessionLog.create({ data: { sessionId: id, ...createdLog(input) } as Prisma.SessionLogUncheckedCreateInput }),
        ]);
        return session as UserSession;
      },
      { idempotent: false, reconcile: async () => ((await prisma.userSession.findUnique({ where: { id } })) as UserSession | null) ?? undefined },
    );
    await this.afterWrite(() => this.onChanged([created]));
    return created;
  }

  protected override async onChanged(rows: UserSession[]): Promise<void> {
    // A session created with a token somebody presented before (within the miss TTL) is found at once.
    for (const row of rows) this.#unknown.delete(tokenKey(row.token));
    await this.announce({
      events: rows.map((s) => ({ kind: 'session-changed', id: s.id })),
      keys: rows.map((s) => tokenKey(s.token)),
      tags: rows.map((s) => cacheTags.session(s.id)),
    });
  }

  protected override async onBulkChanged(): Promise<void> {
    await this.announce({ events: [{ kind: 'all-sessions-changed' }], tags: [cacheTags.allSessions] });
  }

  /**
   * The live (not ended) session for `token`, expired or not; cache-first. Better-Auth reads a
   * session by token, checks its expiry itself, then ends or refreshes it by token: an expired
   * row must stay visible to that read.
   */
  async findByToken(token: string): Promise<UserSession | null> {
    const key = tokenKey(token);
    if (this.#unknown.has(key)) {
      this.#options.onUnknownCredential();
      return null;
    }
    const load = async () => {
      const row = (await this.executeOperation('findByToken', () => this.client.userSession.findFirst({ where: { token, isActive: true } }))) as UserSession | null;
      return row && toCachedSession(row);
    };
    const session = await this.cached(key, { resource: 'session', tags: [cacheTags.allSessions], revive: reviveCachedSession }, load);
    if (!session) {
      // Not inside a transaction: a miss there may be a row the transaction is about to write.
      if (!this.tx) this.#unknown.add(key);
      this.#options.onUnknownCredential();
      return null;
    }
    return session.isActive ? sessionWithToken(session, token) : null;
  }

  /**
   * The session for `token` if it is active and not expired; cache-first. A read filter only: the
   * access core's session rule (libs/better-auth access/sessions.ts) decides whether it is live.
   */
  async findActiveByToken(token: string): Promise<UserSession | null> {
    const session = await this.findByToken(token);
    // A cached session may have expired since it was cached.
    return session && session.expiresAt.getTime() > Date.now() ? session : null;
  }

  /** A user's active, unexpired sessions: `expiresAt > now()` is a query filter; the access core's session rule decides liveness. */
  async findActiveByUser(userId: string): Promise<UserSession[]> {
    return this.findMany({ where: { userId, isActive: true, expiresAt: { gt: new Date() } }, orderBy: { lastAccessedAt: 'desc' } });
  }

  /**
   * Records activity. Writes at most once per `touchIntervalMs` per session: skipped in process
   * when this instance touched it recently, and by the WHERE clause when another instance did.
   * Returns whether a write happened.
   */
  async touch(sessionId: string, now = new Date()): Promise<boolean> {
    const last = this.#touched.get(sessionId);
    if (last !== undefined && now.getTime() - last < this.#options.touchIntervalMs) return false;
    if (this.#touched.size >= this.#options.touchMemory) this.#touched.clear();
    this.#touched.set(sessionId, now.getTime());
    const threshold = new Date(now.getTime() - this.#options.touchIntervalMs);
    const { count } = await this.executeOperation('touch', () =>
      this.client.userSession.updateMany({ where: { id: sessionId, isActive: true, lastAccessedAt: { lt: threshold } }, data: { lastAccessedAt: now } }),
    );
    return count > 0;
  }

  /** Ends one session with an ENDED log entry. Ending an ended session changes nothing. */
  async end(sessionId: string, options: EndSessionOptions = {}): Promise<UserSession> {
    const reason = options.reason ?? 'logout';
    const session = await this.transaction(async (repo) => {
      // `UPDATE … RETURNING`: the ended row comes back with the update; only a session that was
      // already ended is read separately (and gets no second ENDED entry).
      const [ended] = (await repo.executeOperation('end', () =>
        repo.client.userSession.updateManyAndReturn({ where: { id: sessionId, isActive: true }, data: { isActive: false, endedAt: new Date(), endReason: reason } }),
      )) as UserSession[];
      const row = ended ?? ((await repo.executeOperation('end.read', () => repo.client.userSession.findUniqueOrThrow({ where: { id: sessionId } }))) as UserSession);
      if (ended) await repo.#log(row.id, row.userId, 'ENDED', { reason, by: options.by ?? null });
      await repo.afterWrite(() => repo.onChanged([row]));
      return row;
    });
    return session;
  }

  /** Ends every active session of a user (sign-out everywhere, ban), optionally but one. */
  async endAllForUser(userId: string, options: EndSessionOptions & { exceptSessionId?: string } = {}): Promise<number> {
    const reason = options.reason ?? 'logout_all';
    const ended = await this.transaction(async (repo) => {
      const where = { userId, isActive: true, ...(options.exceptSessionId ? { id: { not: options.exceptSessionId } } : {}) };
      const rows = (await repo.executeOperation('endAllForUser.read', () => repo.client.userSession.findMany({ where }))) as UserSession[];
      if (rows.length === 0) return rows;
      await repo.executeOperation('endAllForUser', () =>
        repo.client.userSession.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { isActive: false, endedAt: new Date(), endReason: reason } }),
      );
      await repo.executeOperation('endAllForUser.log', () =>
        repo.client.sessionLog.createMany({ data: rows.map((r) => ({ sessionId: r.id, userId, action: 'ENDED', details: { reason, by: options.by ?? null } })) }),
      );
      await repo.afterWrite(() => repo.onChanged(rows));
      return rows;
    });
    return ended.length;
  }

  /**
   * Stores refreshed upstream (Keycloak) tokens, with a TOKENS_REFRESHED log entry, only while the
   * stored refresh token is still `expectedRefreshToken` (a compare-and-set: the fence of a refresh
   * lock). Sign-in writes the first tokens with the session itself (`create`). Null when another writer got there first or the
   * session has ended.
   */
  async compareAndSetTokens(sessionId: string, expectedRefreshToken: string | null, tokens: UpstreamTokens): Promise<UserSession | null> {
    const data = this.parse('compareAndSetTokens', UserSessionUpdateInputSchema, tokens);
    const session = await this.transaction(async (repo) => {
      const { count } = await repo.executeOperation(
        'compareAndSetTokens',
        () => repo.client.userSession.updateMany({ where: { id: sessionId, isActive: true, refreshToken: expectedRefreshToken }, data: data as Prisma.UserSessionUpdateManyMutationInput }),
        { idempotent: false },
      );
      if (count === 0) return null;
      await repo.#log(sessionId, null, 'TOKENS_REFRESHED', {});
      const row = (await repo.executeOperation('compareAndSetTokens.read', () => repo.client.userSession.findUniqueOrThrow({ where: { id: sessionId } }))) as UserSession;
      await repo.afterWrite(() => repo.onChanged([row]));
      return row;
    });
    return session;
  }

  /** The live sessions signed in through the IdP session `sid` (back-channel logout). */
  async findActiveByKeycloakSessionId(sid: string): Promise<UserSession[]> {
    return this.findMany({ where: { keycloakSessionId: sid, isActive: true } });
  }

  /** The log of a session, oldest first (an audit view: from a replica). */
  async getLogs(sessionId: string): Promise<SessionLog[]> {
    return this.lagTolerant('getLogs', (client) => client.sessionLog.findMany({ where: { sessionId }, orderBy: { timestamp: 'asc' } }) as Promise<SessionLog[]>);
  }

  /** Deletes sessions that expired before `before` (housekeeping); returns how many. */
  async deleteExpired(before = new Date()): Promise<number> {
    const { count } = await this.executeOperation('deleteExpired', () => this.client.userSession.deleteMany({ where: { expiresAt: { lt: before } } }));
    await this.afterWrite(() => this.onBulkChanged());
    return count;
  }

  async #log(sessionId: string, userId: string | null, action: string, details: Record<string, unknown>): Promise<void> {
    await this.executeOperation('log', () => this.client.sessionLog.create({ data: { sessionId, userId, action, details: details as Prisma.InputJsonValue } }));
  }

  override bindTo(tx: TransactionState): this {
    return new SessionRepository({ ...this.deps, session: this.#options }, tx, this.#touched, this.#unknown) as this;
  }
}
