import type { ChainableCommander, Redis } from 'ioredis';

/** A message to publish in the same round trip as the write it announces. */
export interface Announcement {
  channel: string;
  message: string;
}

/** Escapes Redis glob metacharacters so a prefix matches literally in `SCAN MATCH`. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

// Sets a value and adds its key to each tag's set, extending (never shortening) the tag
// set's TTL, atomically: a concurrent tag invalidation cannot miss the new member.
const SET_WITH_TAGS = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local ttl = tonumber(ARGV[2])
for i = 2, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  local current = redis.call('PTTL', KEYS[i])
  if current >= 0 and current < ttl or current == -1 then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1`;

// Deletes every member of each tag set and the sets themselves, atomically with respect to
// SET_WITH_TAGS. Members are deleted in chunks to stay below Lua's unpack limit.
const DELETE_TAGS = `
local n = 0
for i = 1, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 1000 do
    n = n + redis.call('UNLINK', unpack(members, j, math.min(j + 999, #members)))
  end
  redis.call('UNLINK', KEYS[i])
end
return n`;

/**
 * L2: raw ioredis operations on the cache's key layout (`<prefix>:k:<key>` for values,
 * `<prefix>:t:<tag>` for tag sets). No resilience here: `RemoteLayer` wraps every call.
 */
export class RedisDriver {
  readonly #redis: Redis;
  readonly #keyPrefix: string;
  readonly #tagPrefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#keyPrefix = `${prefix}:k:`;
    this.#tagPrefix = `${prefix}:t:`;
  }

  get client(): Redis {
    return this.#redis;
  }

  get(key: string): Promise<string | null> {
    return this.#redis.get(this.#keyPrefix + key);
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
    await this.#exec(pipeline, announce);
  }

  async delete(keys: readonly string[], announce?: Announcement): Promise<void> {
    const pipeline = this.#redis.pipeline();
    if (keys.length) pipeline.unlink(...keys.map((k) => this.#keyPrefix + k));
    await this.#exec(pipeline, announce);
  }

  async deleteByTags(tags: readonly string[], announce?: Announcement): Promise<void> {
    const pipeline = this.#redis.pipeline();
    if (tags.length) pipeline.eval(DELETE_TAGS, tags.length, ...tags.map((t) => this.#tagPrefix + t));
    await this.#exec(pipeline, announce);
  }

  /** Deletes values whose logical key starts with `prefix` (SCAN, so it never blocks Redis). */
  async deleteByPrefix(prefix: string, announce?: Announcement): Promise<void> {
    await this.#deleteMatching(`${escapeGlob(this.#keyPrefix + prefix)}*`);
    if (announce) await this.#redis.publish(announce.channel, announce.message);
  }

  /** Deletes every value and tag set of this cache prefix. */
  async clear(announce?: Announcement): Promise<void> {
    await this.#deleteMatching(`${escapeGlob(this.#keyPrefix)}*`);
    await this.#deleteMatching(`${escapeGlob(this.#tagPrefix)}*`);
    if (announce) await this.#redis.publish(announce.channel, announce.message);
  }

  /** Runs a pipeline (plus the announcement) and throws its first command error. */
  async #exec(pipeline: ChainableCommander, announce: Announcement | undefined): Promise<void> {
    if (announce) pipeline.publish(announce.channel, announce.message);
    if (pipeline.length === 0) return;
    const results = await pipeline.exec();
    for (const [error] of results ?? []) if (error) throw error;
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
