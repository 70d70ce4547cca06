import type { ISessionRepository, IUserRepository } from '@libs/database/postgress/repositories';
import type { AccessCore } from '../access/AccessCore';
import type { AdapterRepository } from './repositoryAdapter';

type Row = Record<string, unknown>;

/** The user id of a filter that is exactly `{ userId: { equals } }`, else undefined. */
const userOnly = (where: Row): string | undefined => {
  const condition = Object.keys(where).length === 1 ? (where['userId'] as Row | undefined) : undefined;
  return condition && Object.keys(condition).length === 1 && typeof condition['equals'] === 'string' ? condition['equals'] : undefined;
};

const activeOnly = (where: Row | undefined): Row => (where && Object.keys(where).length ? { AND: [where, { isActive: true }] } : { isActive: true });

/**
 * Better-Auth's view of `UserSession` rows:
 * - it sees only live sessions (`isActive`), and only those of users who may act (the access
 *   core's `canAct`) — so a ban or a soft delete ends every session on the next request, on every
 *   instance (the user read is cached and invalidated through the cache bus);
 * - its deletes (sign-out, revocation, password change) END sessions (`isActive = false`,
 *   `endedAt`, `endReason`, a `SessionLog` row) instead of erasing their history.
 */
export function sessionRows(sessions: ISessionRepository, users: Pick<IUserRepository, 'findById'>, access: Pick<AccessCore, 'sessionRule' | 'capExpiry' | 'now'>): AdapterRepository {
  // The user is read through `users` (the transaction's, inside one), the decision is the core's
  // session rule (access/sessions.ts). Its expiry half is left to Better-Auth here, which must see
  // an expired row to end it (by token); the `isActive` filter below is the rule's "ended" half as
  // a query. The absolute lifetime holds because no write through here sets an expiry past it
  // (create and update are capped).
  const userCanUse = async (row: Row | null): Promise<boolean> => (row ? access.sessionRule.decideOwner(await users.findById(String(row['userId']))).live : false);
  const guard = async (row: unknown): Promise<Row | null> => ((await userCanUse(row as Row | null)) ? (row as Row) : null);
  const endAll = async (where: Row): Promise<number> => {
    // "Every session of this user" (revoke-sessions, password reset) is the repository's one
    // endAllForUser (one transaction, one log batch); any other filter ends the rows it matches.
    const userId = userOnly(where);
    if (userId !== undefined) return sessions.endAllForUser(userId, { reason: 'revoked' });
    const rows = await sessions.findMany({ where: activeOnly(where), select: { id: true } });
    for (const row of rows) await sessions.end(row.id, { reason: 'revoked' });
    return rows.length;
  };
  return {
    findById: async (id) => {
      const row = (await sessions.findFirst({ where: activeOnly({ id }) })) as Row | null;
      return guard(row);
    },
    findFirst: async ({ where, select }) => {
      // The token lookup is the hot one: serve it from the repository's cache. Expired rows are
      // found too: Better-Auth checks expiry itself, then ends the row by token.
      const token = where && Object.keys(where).length === 1 ? (where['token'] as { equals?: unknown } | undefined)?.equals : undefined;
      if (typeof token === 'string' && !select) return guard(await sessions.findByToken(token));
      const row = (await sessions.findFirst({ where: activeOnly(where), select: select && { ...select, userId: true } })) as Row | null;
      return guard(row);
    },
    findMany: (options) => sessions.findMany({ ...options, where: activeOnly(options.where) }),
    count: (where) => sessions.count(activeOnly(where) as never),
    create: (data) => {
      const createdAt = data['createdAt'] instanceof Date ? data['createdAt'] : new Date(access.now());
      return sessions.create((data['expiresAt'] instanceof Date ? { ...data, expiresAt: access.capExpiry({ createdAt }, data['expiresAt']) } : data) as never);
    },
    update: async (id, data) => {
      // A refresh never extends a session past its absolute lifetime.
      if (data['expiresAt'] instanceof Date) {
        const row = await sessions.findFirst({ where: { id } });
        if (row) return sessions.update(id, { ...data, expiresAt: access.capExpiry(row, data['expiresAt']) } as never);
      }
      return sessions.update(id, data as never);
    },
    updateMany: (where, data) => sessions.updateMany(activeOnly(where) as never, data),
    delete: async (id) => sessions.end(id, { reason: 'revoked' }),
    deleteMany: (where) => endAll(where),
  };
}
