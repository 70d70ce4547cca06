import { AsyncLocalStorage } from 'node:async_hooks';
import { LRUCache } from 'lru-cache';

/** Options of `ReadConsistency`. */
export interface ReadConsistencyOptions {
  /**
   * After an actor's own write, their lag-tolerant reads go to the primary for this long, in
   * every request of theirs on this instance. Set it above the replica lag you allow.
   * @default 2_000
   */
  readYourWritesMs?: number;
  /** Actors remembered with a recent write (least recently written forgotten first). @default 100_000 */
  maxActors?: number;
}

export const DEFAULT_READ_CONSISTENCY_OPTIONS = { readYourWritesMs: 2_000, maxActors: 100_000 } as const;

interface Scope {
  /** Who acts in this scope; read when needed, so it may become known after the scope opened (authentication). */
  actor: () => string | undefined;
  wrote: boolean;
}

const nobody = () => undefined;

/**
 * Read-your-writes for replica routing. A scope (one request) that has written reads from the
 * primary for the rest of its life; an actor who wrote reads from the primary for
 * `readYourWritesMs` afterwards, in any scope. The window is per process: another instance
 * does not know about the write, and serves that actor from a replica within the lag bound.
 */
export class ReadConsistency {
  readonly readYourWritesMs: number;
  readonly #scopes = new AsyncLocalStorage<Scope>();
  readonly #recentWriters: LRUCache<string, true>;

  constructor(options: ReadConsistencyOptions = {}) {
    const opts = { ...DEFAULT_READ_CONSISTENCY_OPTIONS, ...options };
    this.readYourWritesMs = opts.readYourWritesMs;
    this.#recentWriters = new LRUCache<string, true>({ max: Math.max(1, opts.maxActors), ttl: Math.max(1, opts.readYourWritesMs), ttlAutopurge: false });
  }

  /** Runs `fn` in a new scope (a request); `actor` names who acts, once known. */
  run<R>(fn: () => R, actor: (() => string | undefined) | string = nobody): R {
    return this.#scopes.run({ actor: typeof actor === 'string' ? () => actor : actor, wrote: false }, fn);
  }

  /** Called after every write through the repositories. */
  noteWrite(actor?: string): void {
    const scope = this.#scopes.getStore();
    if (scope) scope.wrote = true;
    const who = actor ?? scope?.actor();
    if (who !== undefined && this.readYourWritesMs > 0) this.#recentWriters.set(who, true);
  }

  /** Whether a lag-tolerant read here must still go to the primary. */
  requiresPrimary(): boolean {
    const scope = this.#scopes.getStore();
    if (scope === undefined) return false;
    if (scope.wrote) return true;
    const who = scope.actor();
    return who !== undefined && this.#recentWriters.has(who);
  }
}
