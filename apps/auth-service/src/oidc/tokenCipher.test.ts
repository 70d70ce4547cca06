import { randomBytes } from 'node:crypto';
import { derivedTokenKey, parseTokenKey, TokenCipher } from './tokenCipher';

const key = (id: string) => parseTokenKey(`${id}:${randomBytes(32).toString('base64')}`);

describe('TokenCipher', () => {
  it('round-trips, never stores the plain text and tags values with the key id', () => {
    const cipher = new TokenCipher(key('k1'));
    const stored = cipher.encrypt('eyJ.secret.token');
    expect(stored).not.toContain('secret');
    expect(TokenCipher.keyIdOf(stored)).toBe('k1');
    expect(cipher.decrypt(stored)).toBe('eyJ.secret.token');
    expect(cipher.encrypt('x')).not.toBe(cipher.encrypt('x'));
    expect(cipher.encrypt(null)).toBeNull();
  });

  it('rotates: values under a previous key still decrypt; unknown keys and altered values fail', () => {
    const k1 = key('k1');
    const old = new TokenCipher(k1).encrypt('refresh-1');
    const rotated = new TokenCipher(key('k2'), [k1]);
    expect(rotated.decrypt(old)).toBe('refresh-1');
    expect(TokenCipher.keyIdOf(rotated.encrypt('refresh-2'))).toBe('k2');
    expect(() => new TokenCipher(key('k3')).decrypt(old)).toThrow(/key id/);
    const parts = old.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => rotated.decrypt(parts.join('.'))).toThrow();
    expect(() => rotated.decrypt(old.replace('v1.k1.', 'v1.k2.'))).toThrow();
  });

  it('rejects keys that are not 32 bytes; derives a stable development key', () => {
    expect(() => parseTokenKey(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
    expect(parseTokenKey(Buffer.alloc(32).toString('base64')).id).toMatch(/^[0-9a-f]{8}$/);
    expect(derivedTokenKey('s'.repeat(40)).key.equals(derivedTokenKey('s'.repeat(40)).key)).toBe(true);
  });
});
