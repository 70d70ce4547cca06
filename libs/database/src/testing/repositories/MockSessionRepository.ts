import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client';
import { UserSessionCreateInputSchema, UserSessionUpdateInputSchema, type SessionLog, type UserSession, type UserSessionCreateInput, type UserSessionUpdateInput } from '../../models';
import type { EndSessionOptions, UpstreamTokens } from '../../postgress/repositories/session';
import { buildSession, buildSessionLog } from './builders';
import { InMemoryRepository } from './InMemoryRepository';
import type { ISessionRepository } from '../../postgress/repositories/interfaces';

/** In-memory `SessionRepository` for unit tests (logs kept in `logs`). */
export class MockSessionRepository extends InMemoryRepository<UserSession, Prisma.UserSessionWhereInput, UserSessionCreateInput, UserSessionUpdateInput> implements ISessionRepository {
  readonly logs: SessionLog[] = [];
  readonly #touchIntervalMs: number;

  constructor(options: { touchIntervalMs?: number } = {}) {
    super({ name: 'session', uniques: [['token']], build: buildSession, createSchema: UserSessionCreateInputSchema, updateSchema: UserSessionUpdateInputSchema });
    this.#touchIntervalMs = options.touchIntervalMs ?? 60_000;
  }

  #log(sessionId: string, userId: string | null, action: string, details: Record<string, unknown> | null = null): void {
    this.logs.push(buildSessionLog({ id: randomUUID(), sessionId, userId, action, details }));
  }

  override async create(data: UserSessionCreateInput): Promise<UserSession> {
    const session = await super.create(data);
    this.#log(session.id, session.userId, 'CREATED');
    return session;
  }

  async findByToken(token: string): Promise<UserSession | null> {
    this.track('findByToken', [token]);
    const s = [...this.rows.values()].find((r) => r.token === token);
    return s && s.isActive ? structuredClone(s) : null;
  }

  async findActiveByToken(token: string): Promise<UserSession | null> {
    this.track('findActiveByToken', [token]);
    const s = [...this.rows.values()].find((r) => r.token === token);
    return s && s.isActive && s.expiresAt > new Date() ? structuredClone(s) : null;
  }

  async findActiveByUser(userId: string): Promise<UserSession[]> {
    return this.findMany({ where: { userId, isActive: true, expiresAt: { gt: new Date() } }, orderBy: { lastAccessedAt: 'desc' } });
  }

  async touch(sessionId: string, now = new Date()): Promise<boolean> {
    this.track('touch', [sessionId]);
    const s = this.rows.get(sessionId);
    if (!s || !s.isActive || now.getTime() - s.lastAccessedAt.getTime() < this.#touchIntervalMs) return false;
    this.patch('touch', sessionId, { lastAccessedAt: now });
    return true;
  }

  async end(sessionId: string, options: EndSessionOptions = {}): Promise<UserSession> {
    this.track('end', [sessionId, options]);
    const s = this.rows.get(sessionId);
    if (!s) throw this.notFound('end');
    if (!s.isActive) return structuredClone(s);
    const reason = options.reason ?? 'logout';
    this.#log(sessionId, s.userId, 'ENDED', { reason, by: options.by ?? null });
    return this.patch('end', sessionId, { isActive: false, endedAt: new Date(), endReason: reason });
  }

  async endAllForUser(userId: string, options: EndSessionOptions & { exceptSessionId?: string } = {}): Promise<number> {
    this.track('endAllForUser', [userId, options]);
    const active = [...this.rows.values()].filter((s) => s.userId === userId && s.isActive && s.id !== options.exceptSessionId);
    const reason = options.reason ?? 'logout_all';
    for (const s of active) {
      this.patch('endAllForUser', s.id, { isActive: false, endedAt: new Date(), endReason: reason });
      this.#log(s.id, userId, 'ENDED', { reason, by: options.by ?? null });
    }
    return active.length;
  }

  async compareAndSetTokens(sessionId: string, expectedRefreshToken: string | null, tokens: UpstreamTokens): Promise<UserSession | null> {
    this.track('compareAndSetTokens', [sessionId]);
    const data = this.parse('compareAndSetTokens', UserSessionUpdateInputSchema, tokens);
    const current = this.rows.get(sessionId);
    if (!current || !current.isActive || current.refreshToken !== expectedRefreshToken) return null;
    const s = this.patch('compareAndSetTokens', sessionId, data);
    this.#log(sessionId, null, 'TOKENS_REFRESHED');
    return s;
  }

  async findActiveByKeycloakSessionId(sid: string): Promise<UserSession[]> {
    this.track('findActiveByKeycloakSessionId', [sid]);
    return [...this.rows.values()].filter((s) => s.keycloakSessionId === sid && s.isActive);
  }

  async getLogs(sessionId: string): Promise<SessionLog[]> {
    this.track('getLogs', [sessionId]);
    return this.logs.filter((l) => l.sessionId === sessionId);
  }

  async deleteExpired(before = new Date()): Promise<number> {
    this.track('deleteExpired', [before]);
    const expired = [...this.rows.values()].filter((s) => s.expiresAt < before);
    for (const s of expired) this.rows.delete(s.id);
    return expired.length;
  }
}
