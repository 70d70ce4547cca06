import type { ChainableCommander, Redis } from 'ioredis';
import { DELETE_TAGS, INCREMENT, SET_IF_UNCHANGED, SET_WITH_TAGS, TAKE } from './redisScripts';

/** A message to publish in the same round trip as the write it announces. */
export interface Announcement {
  channel: string;
  message: string;
}

/** Escapes Redis glob metacharacters so a prefix matches literally in `SCAN MATCH`. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * How long an invalidation counter lives. A load that runs longer than this sees its
 * counter vanish, which reads as "changed": the failure mode is a skipped write, never a
 * stale one.
 */
export const VERSION_TTL_MS = 3_600_000;

/** What a load read from L2: the value's text and the counters to check before writing. */
export interface StampedRead {
  text: string | null;
  stamp: string[];
}

/**
 * L2: raw ioredis operations on the cache's key layout (see redisScripts.ts). No
 * resilience here: `RemoteLayer` wraps every call.
 */
export class RedisDriver {
  readonly #redis: Redis;
  readonly #keyPrefix: string;
  readonly #tagPrefix: string;
  readonly #versionPrefix: string;
  readonly #tagVersionPrefix: string;
  readonly #generationKey: string;
  readonly #counterPrefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#keyPrefix = `${prefix}:k:`;
    this.#tagPrefix = `${prefix}:t:`;
    this.#versionPrefix = `${prefix}:v:`;
    this.#tagVersionPrefix = `${prefix}:tv:`;
    this.#generationKey = `${prefix}:gen`;
    this.#counterPrefix = `${prefix}:n:`;
  }

  get client(): Redis {
    return this.#redis;
  }

  get(key: string): Promise<string | null> {
    return this.#redis.get(this.#keyPrefix + key);
  }

  /** The value and, in the same round trip, the counters a later `setIfUnchanged` checks. */
  async getStamped(key: string, tags: readonly string[]): Promise<StampedRead> {
    const [text, ...stamp] = await this.#redis.mget(this.#keyPrefix + key, ...this.#stampKeys(key, tags));
    return { text, stamp: stamp.map((v) => v ?? '') };
  }

  /** Writes like `set`, unless a counter in `stamp` moved; resolves false when refused. */
  async setIfUnchanged(key: string, text: string, pxMs: number, tags: readonly string[], stamp: readonly string[], announce?: Announcement): Promise<boolean> {
    const ttl = String(Math.max(1, Math.ceil(pxMs)));
    const counters = this.#stampKeys(key, tags);
    const pipeline = this.#redis.pipeline();
    pipeline.eval(
      SET_IF_UNCHANGED,
      1 + counters.length + tags.length,
      this.#keyPrefix + key,
      ...counters,
      ...tags.map((t) => this.#tagPrefix + t),
      text,
      ttl,
      String(counters.length),
      ...stamp,
    );
    const [written] = await this.#exec(pipeline, announce);
    return written === 1;
  }

  #stampKeys(key: string, tags: readonly string[]): string[] {
    return [this.#versionPrefix + key, this.#generationKey, ...tags.map((t) => this.#tagVersionPrefix + t)];
  }

  mget(keys: readonly string[]): Promise<Array<string | null>> {
    return this.#redis.mget(keys.map((k) => this.#keyPrefix + k));
  }

  /**
   * Writes the value (and its tag memberships) and, in the same pipeline, publishes
   * `announce`: one round trip, and Redis runs them in order, so a receiver of the message
   * already reads the new value.
   */
  async set(key: string, text: string, pxMs: number, tags: readonly string[], announce?: Announcement): Promise<void> {
    const ttl = String(Math.max(1, Math.ceil(pxMs)));
    const pipeline = this.#redis.pipeline();
    if (tags.length === 0) pipeline.set(this.#keyPrefix + key, text, 'PX', ttl);
    else pipeline.eval(SET_WITH_TAGS, 1 + tags.length, this.#keyPrefix + key, ...tags.map((t) => this.#tagPrefix + t), text, ttl);
    // A write supersedes loads in flight elsewhere, exactly like a delete.
    pipeline.incr(this.#versionPrefix + key).pexpire(this.#versionPrefix + key, VERSION_TTL_MS);
    await this.#exec(pipeline, announce);
  }

  /** Deletes the values and bumps their counters (loads in flight then cannot write them back). */
  async delete(keys: readonly string[], announce?: Announcement): Promise<void> {
    const pipeline = this.#redis.pipeline();
    if (keys.length) pipeline.unlink(...keys.map((k) => this.#keyPrefix + k));
    for (const key of keys) pipeline.incr(this.#versionPrefix + key).pexpire(this.#versionPrefix + key, VERSION_TTL_MS);
    await this.#exec(pipeline, announce);
  }

  /** Reads and deletes the value atomically (bumping its counter), announcing the delete. */
  async take(key: string, announce?: Announcement): Promise<string | null> {
    const pipeline = this.#redis.pipeline();
    pipeline.eval(TAKE, 2, this.#keyPrefix + key, this.#versionPrefix + key, String(VERSION_TTL_MS));
    const [text] = await this.#exec(pipeline, announce);
    return (text as string | null) ?? null;
  }

  /** Increments the counter, giving a new one its TTL; returns the new value. */
  async increment(key: string, ttlMs: number): Promise<number> {
    return Number(await this.#redis.eval(INCREMENT, 1, this.#counterPrefix + key, String(Math.max(1, Math.ceil(ttlMs)))));
  }

  async deleteByTags(tags: readonly string[], announce?: Announcement): Promise<void> {
    const pipeline = this.#redis.pipeline();
    if (tags.length) {
      pipeline.eval(DELETE_TAGS, 2 * tags.length, ...tags.map((t) => this.#tagPrefix + t), ...tags.map((t) => this.#tagVersionPrefix + t), String(tags.length), String(VERSION_TTL_MS));
    }
    await this.#exec(pipeline, announce);
  }

  /** Deletes values whose logical key starts with `prefix` (SCAN, so it never blocks Redis). */
  async deleteByPrefix(prefix: string, announce?: Announcement): Promise<void> {
    // Coarse on purpose: prefix invalidations are rare, so every load in flight is fenced.
    await this.#redis.incr(this.#generationKey);
    await this.#deleteMatching(`${escapeGlob(this.#keyPrefix + prefix)}*`);
    if (announce) await this.#redis.publish(announce.channel, announce.message);
  }

  /** Deletes every value and tag set of this cache prefix. */
  async clear(announce?: Announcement): Promise<void> {
    await this.#redis.incr(this.#generationKey);
    await this.#deleteMatching(`${escapeGlob(this.#keyPrefix)}*`);
    await this.#deleteMatching(`${escapeGlob(this.#tagPrefix)}*`);
    if (announce) await this.#redis.publish(announce.channel, announce.message);
  }

  /** Runs a pipeline (plus the announcement), throws its first command error, returns the replies. */
  async #exec(pipeline: ChainableCommander, announce: Announcement | undefined): Promise<unknown[]> {
    if (announce) pipeline.publish(announce.channel, announce.message);
    if (pipeline.length === 0) return [];
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
    return results.map(([, reply]) => reply);
  }

  async #deleteMatching(pattern: string): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.#redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await this.#redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
