import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Length of the public identifier (62^12 ≈ 2^71: collisions are not a concern). */
export const KEY_IDENTIFIER_LENGTH = 12;
/** Length of the secret: 43 base62 characters ≈ 256 bits of entropy. */
export const KEY_SECRET_LENGTH = 43;
export const DEFAULT_KEY_PREFIX = 'sk';

/** Uniform base62 by rejection sampling (bytes ≥ 248 would bias the modulo). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export interface GeneratedKey {
  plainKey: string;
  keyIdentifier: string;
  keyHash: string;
  keyPreview: string;
}

export function hashKey(plainKey: string): string {
  return createHash('sha256').update(plainKey, 'utf8').digest('hex');
}

/** `<prefix>_<identifier>_<secret>`: readable prefix, public identifier for lookup, secret. */
export function generateKey(prefix = DEFAULT_KEY_PREFIX): GeneratedKey {
  const keyIdentifier = randomBase62(KEY_IDENTIFIER_LENGTH);
  const secret = randomBase62(KEY_SECRET_LENGTH);
  const plainKey = `${prefix}_${keyIdentifier}_${secret}`;
  return { plainKey, keyIdentifier, keyHash: hashKey(plainKey), keyPreview: `${prefix}_${keyIdentifier}…${secret.slice(-4)}` };
}

/** The readable prefix of a key from its preview (`sk_live_ab12…9f` → `sk_live`), or undefined. */
export function previewPrefix(keyPreview: string): string | undefined {
  return keyPreview.split('_').slice(0, -1).join('_') || undefined;
}

const KEY_SHAPE = new RegExp(`^[a-z][a-z0-9]{0,15}(?:_[a-z0-9]{1,16})?_([0-9A-Za-z]{${KEY_IDENTIFIER_LENGTH}})_[0-9A-Za-z]{${KEY_SECRET_LENGTH}}$`);

/** The identifier of a well-formed key, or undefined. */
export function parseKeyIdentifier(plainKey: string): string | undefined {
  if (plainKey.length > 64) return undefined;
  return KEY_SHAPE.exec(plainKey)?.[1];
}

/** Compares a presented key with a stored hash in constant time. */
export function keyMatchesHash(plainKey: string, storedHash: string): boolean {
  const presented = Buffer.from(hashKey(plainKey), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
