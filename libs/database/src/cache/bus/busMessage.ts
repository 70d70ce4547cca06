import { type InvalidationEvent, isInvalidationEvent } from '../invalidationEvent';

/**
 * What must be dropped. Keys, tags and prefixes are logical (namespaced, without the Redis prefix).
 * A tags invalidation a repository announced carries its typed `events` and a `messageId`: the
 * same change arrives over Redis and Postgres, and receivers apply it once.
 */
export type Invalidation =
  | { type: 'keys'; keys: string[] }
  | { type: 'tags'; tags: string[]; events?: InvalidationEvent[]; messageId?: string }
  | { type: 'prefix'; prefix: string }
  | { type: 'clear' };

/**
 * An invalidation on the bus, stamped with its sender (so the sender can ignore it) and its
 * publish time in epoch ms (so receivers can measure the lag). Messages from versions before the
 * time stamp have no `publishedAt` and are applied all the same.
 */
export type BusMessage = Invalidation & { instanceId: string; publishedAt?: number };

/** Compact JSON: `{ i, o, k, t }` (+ `e` events, `m` message id); short field names keep every write's publish small. */
export function encodeBusMessage(message: BusMessage): string {
  const i = message.instanceId;
  // Stamped when encoded, i.e. when the write's publish is built.
  const t = message.publishedAt ?? Date.now();
  switch (message.type) {
    case 'keys':
      return JSON.stringify({ i, o: 'k', k: message.keys, t });
    case 'tags':
      return message.events === undefined ? JSON.stringify({ i, o: 't', k: message.tags, t }) : JSON.stringify({ i, o: 't', k: message.tags, t, e: message.events, m: message.messageId });
    case 'prefix':
      return JSON.stringify({ i, o: 'p', k: [message.prefix], t });
    case 'clear':
      return JSON.stringify({ i, o: 'c', k: [], t });
  }
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses a bus message; anything malformed (another app on the channel, a bad version) is `undefined`. */
export function decodeBusMessage(text: string): BusMessage | undefined {
  let raw: { i?: unknown; o?: unknown; k?: unknown; t?: unknown; e?: unknown; m?: unknown };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== 'object' || typeof raw.i !== 'string' || !isStringArray(raw.k)) return undefined;
  const invalidation = decodeInvalidation(raw.o, raw.k);
  if (invalidation === undefined) return undefined;
  if (invalidation.type === 'tags' && raw.e !== undefined) {
    const events = decodeEvents(raw.e);
    if (events === undefined) return undefined;
    invalidation.events = events;
    if (typeof raw.m === 'string') invalidation.messageId = raw.m;
  }
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

/** Events off a bus; `undefined` when any is malformed (the message is then ignored as a whole). */
export function decodeEvents(raw: unknown): InvalidationEvent[] | undefined {
  if (!Array.isArray(raw) || !raw.every(isInvalidationEvent)) return undefined;
  return raw.map((e: InvalidationEvent) => ('id' in e ? ({ kind: e.kind, id: e.id } as InvalidationEvent) : ({ kind: e.kind } as InvalidationEvent)));
}
