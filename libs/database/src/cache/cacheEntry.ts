import { CacheError, CacheErrorCodes } from './errors/CacheError';
import { deserializeValue, serializeValue } from './serializer';

/**
 * One cached value with its logical expiry and its stale-if-error window. Layers keep an
 * entry until `graceUntil`; between `expiresAt` and `graceUntil` it is stale and is served
 * only when refreshing it fails.
 */
export interface CacheEntry<T = unknown> {
  value: T;
  /** Epoch ms after which the value is stale. */
  expiresAt: number;
  /** Epoch ms after which the value is gone (≥ expiresAt). */
  graceUntil: number;
  /** Tags for group invalidation (already namespaced). */
  tags: readonly string[];
  /**
   * The `decode` function (`GetOrSetOptions.decode`) the value already went through, if any.
   * Set only on L1 entries: a hit with the same decoder returns the value as is.
   */
  decodedBy?: Decoder;
}

/** Turns a value read back from the cache into what callers expect (e.g. a Zod parse). */
export type Decoder<T = unknown> = (value: unknown) => T;

export function isWithinGrace(entry: CacheEntry, now = Date.now()): boolean {
  return now < entry.graceUntil;
}

/**
 * One frozen array per distinct tag list: entries of one kind (every cached session, say) carry
 * the same tags, and a copy per entry (with its namespaced strings) was ~100 bytes of each.
 * Bounded: cleared when full, so per-row tags cannot grow it.
 */
const SHARED_TAGS_MAX = 1_000;
const sharedTags = new Map<string, readonly string[]>();
const NO_TAGS: readonly string[] = Object.freeze([]);

function shareTags(tags: readonly string[]): readonly string[] {
  if (tags.length === 0) return NO_TAGS;
  const id = tags.join('\u0000');
  let known = sharedTags.get(id);
  if (known === undefined) {
    if (sharedTags.size >= SHARED_TAGS_MAX) sharedTags.clear();
    // Copied: the caller's array may be reused or mutated after the write.
    known = Object.freeze([...tags]);
    sharedTags.set(id, known);
  }
  return known;
}

export function createEntry<T>(value: T, ttlMs: number, graceMs: number, tags: readonly string[], now = Date.now()): CacheEntry<T> {
  const expiresAt = now + ttlMs;
  return { value, expiresAt, graceUntil: expiresAt + Math.max(0, graceMs), tags: shareTags(tags) };
}

const VERSION = 1;

/**
 * The L2 wire format: a versioned JSON envelope. The value is embedded as serialized by
 * `serializeValue`, so Dates, `undefined`, Maps … survive the trip between instances.
 */
export function serializeEntry(entry: CacheEntry, valueText = serializeValue(entry.value)): string {
  return `{"#":${VERSION},"e":${entry.expiresAt},"g":${entry.graceUntil},"t":${JSON.stringify(entry.tags)},"v":${valueText}}`;
}

export function deserializeEntry<T = unknown>(text: string): CacheEntry<T> {
  const raw = deserializeValue(text) as { '#'?: number; e?: unknown; g?: unknown; t?: unknown; v?: unknown } | null;
  if (
    raw === null ||
    typeof raw !== 'object' ||
    raw['#'] !== VERSION ||
    typeof raw.e !== 'number' ||
    typeof raw.g !== 'number' ||
    !Array.isArray(raw.t)
  ) {
    throw new CacheError(CacheErrorCodes.DESERIALIZATION, 'cached entry has an unknown format');
  }
  return { value: raw.v as T, expiresAt: raw.e, graceUntil: raw.g, tags: shareTags(raw.t as string[]) };
}
