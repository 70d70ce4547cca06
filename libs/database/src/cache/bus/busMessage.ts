/** What must be dropped. Keys, tags and prefixes are logical (namespaced, without the Redis prefix). */
export type Invalidation =
  | { type: 'keys'; keys: string[] }
  | { type: 'tags'; tags: string[] }
  | { type: 'prefix'; prefix: string }
  | { type: 'clear' };

/**
 * An invalidation on the bus, stamped with its sender (so the sender can ignore it) and its
 * publish time in epoch ms (so receivers can measure the lag). Messages from versions before the
 * time stamp have no `publishedAt` and are applied all the same.
 */
export type BusMessage = Invalidation & { instanceId: string; publishedAt?: number };

/** Compact JSON: `{ i, o, k, t }`; short field names keep every write's publish small. */
export function encodeBusMessage(message: BusMessage): string {
  const i = message.instanceId;
  // Stamped when encoded, i.e. when the write's publish is built.
  const t = message.publishedAt ?? Date.now();
  switch (message.type) {
    case 'keys':
      return JSON.stringify({ i, o: 'k', k: message.keys, t });
    case 'tags':
      return JSON.stringify({ i, o: 't', k: message.tags, t });
    case 'prefix':
      return JSON.stringify({ i, o: 'p', k: [message.prefix], t });
    case 'clear':
      return JSON.stringify({ i, o: 'c', k: [], t });
  }
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses a bus message; anything malformed (another app on the channel, a bad version) is `undefined`. */
export function decodeBusMessage(text: string): BusMessage | undefined {
  let raw: { i?: unknown; o?: unknown; k?: unknown; t?: unknown };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== 'object' || typeof raw.i !== 'string' || !isStringArray(raw.k)) return undefined;
  const invalidation = decodeInvalidation(raw.o, raw.k);
  if (invalidation === undefined) return undefined;
  // No or an unusable time stamp (an older sender) still invalidates; it only goes unmeasured.
  const publishedAt = typeof raw.t === 'number' && Number.isFinite(raw.t) && raw.t > 0 ? raw.t : undefined;
  return publishedAt === undefined ? { ...invalidation, instanceId: raw.i } : { ...invalidation, instanceId: raw.i, publishedAt };
}

function decodeInvalidation(op: unknown, k: string[]): Invalidation | undefined {
  switch (op) {
    case 'k':
      return { type: 'keys', keys: k };
    case 't':
      return { type: 'tags', tags: k };
    case 'p':
      return k.length === 1 ? { type: 'prefix', prefix: k[0] } : undefined;
    case 'c':
      return { type: 'clear' };
    default:
      return undefined;
  }
}
