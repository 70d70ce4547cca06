/** The label value every name past a cap (or not fit to be a label) is folded into. */
export const OVERFLOW_LABEL = 'other';

export interface KeyLimits {
  /** Distinct keys kept before new ones fold into {@link OVERFLOW_LABEL}. */
  maxKeys: number;
  /** Keys longer than this fold into {@link OVERFLOW_LABEL}. */
  maxLength: number;
}

/**
 * Returns `key` when `map` already holds it or still has room for it, otherwise
 * {@link OVERFLOW_LABEL}. Prometheus keeps one series per label value for ever, so a caller that
 * puts an id or a URL into an operation name must not be able to grow memory or the scrape
 * without bound. Empty and non-string keys fold too (an empty label value reads as "no label").
 * The map may end with `maxKeys + 1` entries: the overflow entry itself.
 */
export function boundedKey(map: ReadonlyMap<string, unknown>, key: unknown, limits: KeyLimits): string {
  if (typeof key !== 'string') return OVERFLOW_LABEL;
  if (map.has(key)) return key;
  if (key.length === 0 || key.length > limits.maxLength || map.size >= limits.maxKeys) return OVERFLOW_LABEL;
  return key;
}
