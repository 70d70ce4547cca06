import { createHMAC } from '@better-auth/utils/hmac';
import { serializeSignedCookie } from 'better-call';
import { SIGNATURE_PATTERN, signValue, verifySignature } from './signature';

const secret = 'test-secret-that-is-long-enough-0123456789';

describe('cookie signature (node:crypto) against better-call and @better-auth/utils', () => {
  it.each(['AbCdEf0123456789AbCdEf0123456789', 'x', 'token-with_dash'])('signs %s exactly as better-call signs a cookie', async (token) => {
    const cookie = await serializeSignedCookie('n', token, secret);
    const value = decodeURIComponent(cookie.slice(2));
    expect(value).toBe(`${token}.${signValue(token, secret)}`);
    expect(signValue(token, secret)).toMatch(SIGNATURE_PATTERN);
  });

  it("verifies what Better-Auth's HMAC verifies, and nothing else", async () => {
    const token = 'AbCdEf0123456789AbCdEf0123456789';
    const good = signValue(token, secret);
    const other = signValue(token, `${secret}-other`);
    const hmac = createHMAC('SHA-256', 'base64urlnopad');
    expect(await hmac.verify(secret, token, good)).toBe(true);
    expect(verifySignature(token, good, secret)).toBe(true);
    expect(await hmac.verify(secret, token, other)).toBe(false);
    expect(verifySignature(token, other, secret)).toBe(false);
    expect(verifySignature(`${token}x`, good, secret)).toBe(false);
  });

  it('accepts a non-canonical spelling of the right bytes, as atob and WebCrypto do', () => {
    const token = 'abc';
    const good = signValue(token, secret);
    // The 43rd character carries 2 unused bits: flipping them keeps the bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = alphabet.indexOf(good[42]);
    const variant = `${good.slice(0, 42)}${alphabet[last ^ 1]}=`;
    expect(variant).not.toBe(good);
    expect(Buffer.from(atob(variant), 'latin1').equals(Buffer.from(good, 'base64'))).toBe(true);
    expect(verifySignature(token, variant, secret)).toBe(true);
  });
});
