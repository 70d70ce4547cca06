import { CacheError, CacheErrorCodes } from './errors/CacheError';

/**
 * JSON with a tagged representation for what plain JSON loses: `Date`, `undefined`,
 * `bigint`, `Map` and `Set`. A tag is an object `{ "$t": kind, "v": payload }`; a user
 * object that happens to own a `$t` key is escaped as `{ "$t": "O", "v": [[k, v] …] }`,
 * so no input can be mistaken for a tag. Decoding is a top-down walk (a bottom-up
 * `JSON.parse` reviver would decode an escaped object's inner tags too early), and is
 * skipped entirely when the text contains no tag, which is the common case.
 */
const TAG = '$t';
const TAG_MARKER = '"$t"';

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // `this[key]` is the value before `toJSON`: a Date has already become a string in `value`.
  const raw = this[key];
  if (raw instanceof Date) return { [TAG]: 'D', v: Number.isNaN(raw.getTime()) ? null : raw.toISOString() };
  switch (typeof value) {
    case 'undefined':
      return { [TAG]: 'U' };
    case 'bigint':
      return { [TAG]: 'B', v: value.toString() };
    case 'object':
      if (value === null || Array.isArray(value)) return value;
      if (value instanceof Map) return { [TAG]: 'M', v: [...value] };
      if (value instanceof Set) return { [TAG]: 'S', v: [...value] };
      if (Object.hasOwn(value, TAG)) return { [TAG]: 'O', v: Object.entries(value) };
      return value;
    default:
      return value;
  }
}

/** Serializes any JSON-like value faithfully; throws `CACHE_SERIALIZATION` for cycles and the like. */
export function serializeValue(value: unknown): string {
  try {
    return JSON.stringify(value, replacer) as string;
  } catch (error) {
    throw new CacheError(CacheErrorCodes.SERIALIZATION, 'value cannot be serialized for the cache', { cause: error });
  }
}

function decode(node: unknown): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = decode(node[i]);
    return node;
  }
  const record = node as Record<string, unknown>;
  if (Object.hasOwn(record, TAG)) {
    const payload = record.v;
    switch (record[TAG]) {
      case 'D':
        return payload === null ? new Date(Number.NaN) : new Date(payload as string);
      case 'U':
        return undefined;
      case 'B':
        return BigInt(payload as string);
      case 'M':
        return new Map((payload as Array<[unknown, unknown]>).map(([k, v]) => [decode(k), decode(v)]));
      case 'S':
        return new Set((payload as unknown[]).map(decode));
      case 'O':
        return Object.fromEntries((payload as Array<[string, unknown]>).map(([k, v]) => [k, decode(v)]));
      default:
        throw new Error(`unknown cache tag ${String(record[TAG])}`);
    }
  }
  for (const key of Object.keys(record)) {
    const decoded = decode(record[key]);
    // An own `undefined` property round-trips as present-but-undefined.
    record[key] = decoded;
  }
  return record;
}

/** Reads back what `serializeValue` wrote; throws `CACHE_DESERIALIZATION` on corrupt text. */
export function deserializeValue(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return text.includes(TAG_MARKER) ? decode(parsed) : parsed;
  } catch (error) {
    throw new CacheError(CacheErrorCodes.DESERIALIZATION, 'cached text cannot be deserialized', { cause: error });
  }
}
