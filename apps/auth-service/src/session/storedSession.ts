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

/** A snapshot as Better-Auth would answer it, with what the per-request checks need. */
export interface StoredSession {
  sessionId: string;
  userId: string;
  createdAtMs: number;
  expiresAtMs: number;
  /** `{ session, user }` exactly as Better-Auth's get-session serialises this snapshot. */
  body: string;
}

export interface StoredSessionReaderOptions {
  /** Parsed snapshots remembered (the same stored value is served again and again). @default 5_000 */
  memo?: number;
}

export const DEFAULT_STORED_SESSION_READER_OPTIONS = { memo: 5_000 } as const;

function withoutHidden(row: Row, hidden: ReadonlySet<string>): Row {
  if (hidden.size === 0) return row;
  const out: Row = {};
  for (const key of Object.keys(row)) if (!hidden.has(key)) out[key] = row[key];
  return out;
}

/**
 * Reads `{ session, user }` snapshots the way Better-Auth's `internalAdapter.findSession` does:
 * `safeJSONParse` (ISO strings revived), `returned: false` fields dropped, the five timestamps
 * passed through `new Date()`, `null` for an unreadable value or a session created before the
 * user's `revoked-sessions-before-<userId>` mark, `defer` for a snapshot Better-Auth would trip
 * over (no session or user object, an unreadable expiry: its own answer is an error). The parse
 * depends on the stored text only, so it is remembered by that text; the revocation mark is read
 * on every call.
 */
export class StoredSessionReader {
  readonly #hidden: { session: ReadonlySet<string>; user: ReadonlySet<string> };
  readonly #memoSize: number;
  readonly #memo = new Map<string, StoredSession | null | 'defer'>();

  constructor(hidden: { session: ReadonlySet<string>; user: ReadonlySet<string> }, options: StoredSessionReaderOptions = {}) {
    this.#hidden = hidden;
    this.#memoSize = options.memo ?? DEFAULT_STORED_SESSION_READER_OPTIONS.memo;
  }

  async read(storage: SessionStorageLike, value: unknown): Promise<StoredSession | null | 'defer'> {
    if (typeof value !== 'string') return null;
    let parsed = this.#memo.get(value);
    if (parsed === undefined) {
      parsed = this.#parse(value);
      if (this.#memo.size >= this.#memoSize) this.#memo.clear();
      this.#memo.set(value, parsed);
    }
    if (!parsed || parsed === 'defer') return parsed;
    const revokedBefore = Number(await storage.get(`revoked-sessions-before-${parsed.userId}`));
    return parsed.createdAtMs < revokedBefore ? null : parsed;
  }

  #parse(value: string): StoredSession | null | 'defer' {
    let parsed: { session?: Row; user?: Row } | null;
    try {
      parsed = JSON.parse(value, reviveDate) as { session?: Row; user?: Row } | null;
    } catch {
      return null;
    }
    if (!parsed) return null;
    const { session, user } = parsed;
    if (!session || typeof session !== 'object' || !user || typeof user !== 'object') return 'defer';
    const expiresAt = new Date(session['expiresAt'] as string);
    if (Number.isNaN(expiresAt.getTime())) return 'defer';
    const createdAt = new Date(session['createdAt'] as string);
    const output = {
      session: { ...withoutHidden(session, this.#hidden.session), expiresAt, createdAt, updatedAt: new Date(session['updatedAt'] as string) },
      user: { ...withoutHidden(user, this.#hidden.user), createdAt: new Date(user['createdAt'] as string), updatedAt: new Date(user['updatedAt'] as string) },
    };
    return {
      sessionId: String(session['id']),
      userId: String(session['userId']),
      // Better-Auth compares `new Date(createdAt).getTime() < revokedBefore`: NaN never is.
      createdAtMs: createdAt.getTime(),
      expiresAtMs: expiresAt.getTime(),
      body: JSON.stringify(output),
    };
  }
}
