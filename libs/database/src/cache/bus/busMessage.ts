/** What must be dropped. Keys, tags and prefixes are logical (namespaced, without the Redis prefix). */
export type Invalidation =
  | { type: 'keys'; keys: string[] }
  | { type: 'tags'; tags: string[] }
  | { type: 'prefix'; prefix: string }
  | { type: 'clear' };

/** An invalidation on the bus, stamped with its sender so the sender can ignore it. */
export type BusMessage = Invalidation & { instanceId: string };

/** Compact JSON: `{ i, o, k }`; short field names keep every write's publish small. */
export function encodeBusMessage(message: BusMessage): string {
  switch (message.type) {
    case 'keys':
      return JSON.stringify({ i: message.instanceId, o: 'k', k: message.keys });
    case 'tags':
      return JSON.stringify({ i: message.instanceId, o: 't', k: message.tags });
    case 'prefix':
      return JSON.stringify({ i: message.instanceId, o: 'p', k: [message.prefix] });
    case 'clear':
      return JSON.stringify({ i: message.instanceId, o: 'c', k: [] });
  }
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses a bus message; anything malformed (another app on the channel, a bad version) is `undefined`. */
export function decodeBusMessage(text: string): BusMessage | undefined {
  let raw: { i?: unknown; o?: unknown; k?: unknown };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== 'object' || typeof raw.i !== 'string' || !isStringArray(raw.k)) return undefined;
  const instanceId = raw.i;
  switch (raw.o) {
    case 'k':
      return { instanceId, type: 'keys', keys: raw.k };
    case 't':
      return { instanceId, type: 'tags', tags: raw.k };
    case 'p':
      return raw.k.length === 1 ? { instanceId, type: 'prefix', prefix: raw.k[0] } : undefined;
    case 'c':
      return { instanceId, type: 'clear' };
    default:
      return undefined;
  }
}
