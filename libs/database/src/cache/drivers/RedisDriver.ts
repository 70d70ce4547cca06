import type { Redis } from 'ioredis';

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

  async set(key: string, text: string, pxMs: number, tags: readonly string[]): Promise<void> {
    const ttl = String(Math.max(1, Math.ceil(pxMs)));
    if (tags.length === 0) {
      await this.#redis.set(this.#keyPrefix + key, text, 'PX', ttl);
      return;
    }
    await this.#redis.eval(SET_WITH_TAGS, 1 + tags.length, this.#keyPrefix + key, ...tags.map((t) => this.#tagPrefix + t), text, ttl);
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length) await this.#redis.unlink(...keys.map((k) => this.#keyPrefix + k));
  }

  async deleteByTags(tags: readonly string[]): Promise<void> {
    if (tags.length) await this.#redis.eval(DELETE_TAGS, tags.length, ...tags.map((t) => this.#tagPrefix + t));
  }

  /** Deletes values whose logical key starts with `prefix` (SCAN, so it never blocks Redis). */
  async deleteByPrefix(prefix: string): Promise<void> {
    await this.#deleteMatching(`${escapeGlob(this.#keyPrefix + prefix)}*`);
  }

  /** Deletes every value and tag set of this cache prefix. */
  async clear(): Promise<void> {
    await this.#deleteMatching(`${escapeGlob(this.#keyPrefix)}*`);
    await this.#deleteMatching(`${escapeGlob(this.#tagPrefix)}*`);
  }

  publish(channel: string, message: string): Promise<number> {
    return this.#redis.publish(channel, message);
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
