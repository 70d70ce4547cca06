import type { Invalidation } from '../bus/busMessage';

/** One loader run that concurrent callers of the same key share. */
export interface InflightLoad {
  readonly key: string;
  readonly tags: readonly string[];
  readonly promise: Promise<unknown>;
  /**
   * Set when the key is invalidated while the loader runs: the loader may have read the
   * data before the write that caused the invalidation, so its result is returned to the
   * callers already waiting but never cached.
   */
  superseded: boolean;
}

/**
 * Stampede protection: at most one loader per key per instance. An invalidation detaches
 * matching loads, so callers arriving after a write start a fresh load instead of joining
 * one that may have read the old data.
 */
export class LoadRegistry {
  readonly #loads = new Map<string, InflightLoad>();

  get size(): number {
    return this.#loads.size;
  }

  get(key: string): InflightLoad | undefined {
    return this.#loads.get(key);
  }

  /** Registers a load; `start` receives the record so the load can check `superseded`. */
  start<T>(key: string, tags: readonly string[], run: (load: InflightLoad) => Promise<T>): Promise<T> {
    const load: InflightLoad = { key, tags, promise: Promise.resolve(), superseded: false };
    const promise = run(load).finally(() => {
      if (this.#loads.get(key) === load) this.#loads.delete(key);
    });
    (load as { promise: Promise<unknown> }).promise = promise;
    this.#loads.set(key, load);
    return promise;
  }

  /** Marks and detaches every load the invalidation concerns. */
  supersede(what: Invalidation): void {
    if (this.#loads.size === 0) return;
    const tagSet = what.type === 'tags' ? new Set(what.tags) : undefined;
    const keySet = what.type === 'keys' ? new Set(what.keys) : undefined;
    for (const [key, load] of this.#loads) {
      const hit =
        what.type === 'clear' ||
        (keySet !== undefined && keySet.has(key)) ||
        (tagSet !== undefined && load.tags.some((t) => tagSet.has(t))) ||
        (what.type === 'prefix' && key.startsWith(what.prefix));
      if (hit) {
        load.superseded = true;
        this.#loads.delete(key);
      }
    }
  }
}
