import type { Principal } from '@libs/better-auth';
import type { WebSocket } from 'ws';
import type { SocketCredential } from './credentialCheck';

export interface LiveConnection {
  id: string;
  socket: WebSocket;
  /** As the upgrade decided it, then as each re-check re-read it. */
  principal: Principal;
  /** The session token or API key the upgrade authenticated with (re-checked on revocation and at expiry). */
  credential: SocketCredential | null;
  alive: boolean;
  /** The credential's known expiry (epoch ms), when it has one. */
  expiresAt: number | null;
  /** Fires at `expiresAt` (unref'd; cleared on close). */
  expiry?: NodeJS.Timeout;
  /** Malformed requests received (closed with 1008 at `WS_MAX_BAD_FRAMES`). */
  badFrames: number;
  /** Its access ended (revoked, expired, refresh failed) or the server drains: no operation runs any more. */
  ended: boolean;
}

/** Which sockets to re-decide: by session, user or key, or every socket of a kind. */
export interface RevalidationFilter {
  sessionIds?: Iterable<string>;
  userIds?: Iterable<string>;
  apiKeyIds?: Iterable<string>;
  /** Every socket opened with a session. */
  allSessions?: boolean;
  /** Every socket opened with an API key. */
  allKeys?: boolean;
  all?: boolean;
}

/** The open sockets of one instance, by id, user, session and API key. */
export class ConnectionIndex {
  readonly #all = new Map<string, LiveConnection>();
  readonly #byUser = new Map<string, Set<LiveConnection>>();
  readonly #bySession = new Map<string, Set<LiveConnection>>();
  readonly #byKey = new Map<string, Set<LiveConnection>>();

  get size(): number {
    return this.#all.size;
  }

  values(): IterableIterator<LiveConnection> {
    return this.#all.values();
  }

  has(id: string): boolean {
    return this.#all.has(id);
  }

  countOfUser(userId: string): number {
    return this.#byUser.get(userId)?.size ?? 0;
  }

  ofSession(sessionId: string): LiveConnection[] {
    return [...(this.#bySession.get(sessionId) ?? [])];
  }

  /**
   * Adds a socket. Sockets of one credential (a session, a key) share one principal object — the
   * newest read, which the upgrade just made — and one credential object: they are re-decided
   * together, and a user's hundred sockets hold one copy, not a hundred.
   */
  add(connection: LiveConnection): void {
    const { principal } = connection;
    const peers = principal.session ? this.#bySession.get(principal.session.id) : principal.apiKey ? this.#byKey.get(principal.apiKey.id) : undefined;
    for (const peer of peers ?? []) {
      peer.principal = principal;
      if (sameCredential(peer.credential, connection.credential)) connection.credential = peer.credential;
    }
    this.#all.set(connection.id, connection);
    add(this.#byUser, principal.user.id, connection);
    if (principal.session) add(this.#bySession, principal.session.id, connection);
    if (principal.apiKey) add(this.#byKey, principal.apiKey.id, connection);
  }

  /** False when the connection was not held (already removed). */
  remove(connection: LiveConnection): boolean {
    if (!this.#all.delete(connection.id)) return false;
    const { principal } = connection;
    remove(this.#byUser, principal.user.id, connection);
    if (principal.session) remove(this.#bySession, principal.session.id, connection);
    if (principal.apiKey) remove(this.#byKey, principal.apiKey.id, connection);
    return true;
  }

  /** The sockets `filter` names, grouped by the credential they share (one session, one key). */
  matchingByCredential(filter: RevalidationFilter): LiveConnection[][] {
    const targets = new Set<LiveConnection>();
    for (const c of this.#all.values()) {
      if (filter.all || (filter.allSessions && c.principal.session) || (filter.allKeys && c.principal.apiKey)) targets.add(c);
    }
    for (const id of filter.sessionIds ?? []) for (const c of this.#bySession.get(id) ?? []) targets.add(c);
    for (const id of filter.userIds ?? []) for (const c of this.#byUser.get(id) ?? []) targets.add(c);
    for (const id of filter.apiKeyIds ?? []) for (const c of this.#byKey.get(id) ?? []) targets.add(c);
    const groups = new Map<string, LiveConnection[]>();
    for (const c of targets) {
      const key = c.principal.session ? `session:${c.principal.session.id}` : c.principal.apiKey ? `key:${c.principal.apiKey.id}` : `socket:${c.id}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    return [...groups.values()];
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key) ?? new Set<V>();
  set.add(value);
  map.set(key, set);
}

function remove<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

function sameCredential(a: SocketCredential | null, b: SocketCredential | null): boolean {
  if (a === null || b === null) return a === b;
  return a.kind === 'session' ? b.kind === 'session' && a.token === b.token : b.kind === 'apiKey' && a.key === b.key;
}
