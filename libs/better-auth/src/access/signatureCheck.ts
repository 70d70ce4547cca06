import { constantTimeEqual, makeSignature } from 'better-auth/crypto';
import { LRUCache } from 'lru-cache';

/** Verified `value.signature` pairs remembered (a session cookie is presented again and again). @default 10_000 */
export const DEFAULT_SIGNATURE_MEMO = 10_000;

const decode = (base64: string): Uint8Array => Uint8Array.from(Buffer.from(base64, 'base64'));

/**
 * Better-Auth's cookie signature check (its `makeSignature`: HMAC-SHA256, base64), compared in
 * constant time on the decoded bytes as better-call's WebCrypto `verify` does — so a
 * non-canonical base64 spelling of the right bytes verifies here exactly as it does there.
 * WebCrypto is asynchronous and costs tens of microseconds; the outcome depends only on the
 * value, the signature and the secret, so it is remembered (bounded) per presented pair.
 */
export class SignatureCheck {
  readonly #secret: string;
  readonly #memo: LRUCache<string, boolean>;

  constructor(secret: string, memo = DEFAULT_SIGNATURE_MEMO) {
    this.#secret = secret;
    this.#memo = new LRUCache({ max: memo });
  }

  async verify(value: string, signature: string): Promise<boolean> {
    const pair = `${value}.${signature}`;
    const known = this.#memo.get(pair);
    if (known !== undefined) return known;
    const expected = await makeSignature(value, this.#secret);
    const valid = constantTimeEqual(decode(signature), decode(expected));
    this.#memo.set(pair, valid);
    return valid;
  }
}
