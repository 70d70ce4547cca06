import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** One AES-256-GCM key and the id stored with everything it encrypted. */
export interface TokenKey {
  id: string;
  key: Buffer;
}

const VERSION = 'v1';

/** `kid:base64` or bare base64 (the id is then derived from the key) → a 32-byte key. */
export function parseTokenKey(text: string): TokenKey {
  const colon = text.indexOf(':');
  const id = colon > 0 ? text.slice(0, colon) : undefined;
  const key = Buffer.from(colon > 0 ? text.slice(colon + 1) : text, 'base64');
  if (key.length !== 32) throw new Error('an upstream token key must be 32 bytes, base64');
  if (id !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error('a key id is 1–32 characters of [A-Za-z0-9_-]');
  return { id: id ?? createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

/** Outside production without UPSTREAM_TOKEN_KEY: a key derived from the auth secret (id `dev`). */
export function derivedTokenKey(secret: string): TokenKey {
  return { id: 'dev', key: Buffer.from(hkdfSync('sha256', secret, 'auth-service', 'upstream-token-key', 32)) };
}

/**
 * Upstream tokens at rest: AES-256-GCM with a random 96-bit IV; the stored text is
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url), so a key can be rotated: new values use the
 * current key, old ones still decrypt with the previous keys listed in configuration.
 */
export class TokenCipher {
  readonly #current: TokenKey;
  readonly #keys: Map<string, Buffer>;

  constructor(current: TokenKey, previous: TokenKey[] = []) {
    this.#current = current;
    this.#keys = new Map([...previous, current].map((k) => [k.id, k.key]));
  }

  get keyId(): string {
    return this.#current.id;
  }

  encrypt(plain: string): string;
  encrypt(plain: string | null | undefined): string | null;
  encrypt(plain: string | null | undefined): string | null {
    if (plain === null || plain === undefined) return null;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    // The key id is authenticated too: a value cannot be moved under another key's id.
    cipher.setAAD(Buffer.from(this.#current.id));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, this.#current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** The plain token; throws when the value was not made by a known key or was altered. */
  decrypt(stored: string): string;
  decrypt(stored: string | null | undefined): string | null;
  decrypt(stored: string | null | undefined): string | null {
    if (stored === null || stored === undefined) return null;
    const [version, keyId, iv, tag, body] = stored.split('.');
    const key = keyId === undefined ? undefined : this.#keys.get(keyId);
    if (version !== VERSION || !key || !iv || !tag || body === undefined) throw new Error('upstream token: unknown format or key id');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The key id a stored value was encrypted with (rotation: re-encrypt those not under `keyId`). */
  static keyIdOf(stored: string): string | undefined {
    return stored.split('.')[1];
  }
}
