/**
 * Lua scripts of the L2 driver. Each runs atomically on Redis, which is the point: the
 * tag sets and version counters they touch must change together with the values.
 *
 * Keys the scripts derive or receive (all under the cache prefix):
 *   k:<key>   the value            t:<tag>   the set of value keys carrying the tag
 *   v:<key>   invalidation counter of a key      tv:<tag>  invalidation counter of a tag
 *   gen       counter bumped by prefix invalidations and clear
 */

// Sets a value and adds its key to each tag's set, extending (never shortening) the tag
// set's TTL, atomically: a concurrent tag invalidation cannot miss the new member.
// KEYS: value key, tag set keys…  ARGV: text, ttl ms
export const SET_WITH_TAGS = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local ttl = tonumber(ARGV[2])
for i = 2, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  local current = redis.call('PTTL', KEYS[i])
  if current >= 0 and current < ttl or current == -1 then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1`;

// SET_WITH_TAGS, but only if none of the counters read when the load began has moved since:
// a loader that read the database before another instance's write must not put its (old)
// result into L2 after that instance invalidated it.
// KEYS: value key, counter keys (m)…, tag set keys…  ARGV: text, ttl ms, m, expected values (m)…
export const SET_IF_UNCHANGED = `
local m = tonumber(ARGV[3])
for i = 1, m do
  local current = redis.call('GET', KEYS[1 + i])
  if (current or '') ~= ARGV[3 + i] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local ttl = tonumber(ARGV[2])
for i = 2 + m, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  local current = redis.call('PTTL', KEYS[i])
  if current >= 0 and current < ttl or current == -1 then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1`;

// Deletes every member of each tag set and the sets themselves, and bumps each tag's
// counter (so loads of not-yet-cached keys carrying the tag cannot write afterwards).
// Members are deleted in chunks to stay below Lua's unpack limit.
// KEYS: tag set keys (n)…, tag counter keys (n)…  ARGV: n, counter ttl ms
export const DELETE_TAGS = `
local n = tonumber(ARGV[1])
local deleted = 0
for i = 1, n do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 1000 do
    deleted = deleted + redis.call('UNLINK', unpack(members, j, math.min(j + 999, #members)))
  end
  redis.call('UNLINK', KEYS[i])
  redis.call('INCR', KEYS[n + i])
  redis.call('PEXPIRE', KEYS[n + i], ARGV[2])
end
return deleted`;

// GETDEL plus the key's invalidation counter bump (loads in flight cannot write the value back).
// KEYS: value key, counter key  ARGV: counter ttl ms
export const TAKE = `
local value = redis.call('GET', KEYS[1])
if value then redis.call('DEL', KEYS[1]) end
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return value`;

// INCR that sets the expiry only when it creates the counter: the window never slides.
// KEYS: counter key  ARGV: ttl ms
export const INCREMENT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;
