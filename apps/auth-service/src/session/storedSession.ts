/** Better-Auth's `secondaryStorage`, as far as reading goes. */
export interface SessionStorageLike {
  get(key: string): Promise<unknown>;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/** `safeJSONParse`'s reviver (@better-auth/core): ISO 8601 strings become Dates. */
function reviveDate(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && ISO_8601.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return value;
}

type Row = Record<string, unknown>;

export interface StoredSession {
  session: Row & { expiresAt: Date; createdAt: Date; userId: string };
  user: Row;
}

function parse(value: unknown): { session?: Row; user?: Row } | null {
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value, reviveDate) as { session?: Row; user?: Row } | null;
  } catch {
    return null;
  }
}

function withoutHidden(row: Row, hidden: ReadonlySet<string>): Row {
  if (hidden.size === 0) return row;
  const out: Row = {};
  for (const key of Object.keys(row)) if (!hidden.has(key)) out[key] = row[key];
  return out;
}

/**
 * The `{ session, user }` snapshot Better-Auth's `internalAdapter.findSession` returns from
 * secondary storage: revived dates, `returned: false` fields dropped, the five timestamps passed
 * through `new Date()`, and `null` for an unreadable value or a session created before the
 * user's `revoked-sessions-before-<userId>` mark. `defer` for a snapshot Better-Auth would trip
 * over (no session or user object, unreadable dates): its own answer is an error.
 */
export async function readStoredSession(
  storage: SessionStorageLike,
  value: unknown,
  hidden: { session: ReadonlySet<string>; user: ReadonlySet<string> },
): Promise<StoredSession | null | 'defer'> {
  const parsed = parse(value);
  if (!parsed) return null;
  const session = parsed.session;
  const user = parsed.user;
  if (!session || typeof session !== 'object' || !user || typeof user !== 'object') return 'defer';
  if (Number.isNaN(new Date(session['expiresAt'] as string).getTime())) return 'defer';
  const revokedBefore = Number(await storage.get(`revoked-sessions-before-${String(session['userId'])}`));
  if (new Date(session['createdAt'] as string).getTime() < revokedBefore) return null;
  return {
    session: {
      ...withoutHidden(session, hidden.session),
      expiresAt: new Date(session['expiresAt'] as string),
      createdAt: new Date(session['createdAt'] as string),
      updatedAt: new Date(session['updatedAt'] as string),
    } as unknown as StoredSession['session'],
    user: { ...withoutHidden(user, hidden.user), createdAt: new Date(user['createdAt'] as string), updatedAt: new Date(user['updatedAt'] as string) },
  };
}
