import { createHmac } from 'node:crypto';
import { CredentialReader, type CredentialHeaders, type CredentialSettings } from './credentials';

const signValue = (value: string, key: string) => createHmac('sha256', key).update(value).digest('base64');

const secret = 'test-secret-that-is-long-enough-0123456789';
const token = 'AbCdEf0123456789AbCdEf0123456789';
const signed = `${token}.${signValue(token, secret)}`;
const wrong = `${token}.${signValue(token, 'another-secret-another-secret-xx')}`;

function reader(bearer: CredentialSettings['bearer'] = { enabled: true, requireSignature: false }, secure = false): CredentialReader {
  return new CredentialReader({ baseURL: 'http://127.0.0.1:3000', advanced: { useSecureCookies: secure } }, { secret, bearer });
}
const readSessionToken = (headers: CredentialHeaders, r: CredentialReader) => r.sessionToken(headers);
function settings(overrides: { bearer?: CredentialSettings['bearer'] } = {}, prefix = ''): CredentialReader {
  return reader(overrides.bearer, prefix === '__Secure-');
}

describe('CredentialReader.sessionToken (Better-Auth 1.7.25 rules)', () => {
  const s = settings();
  it('reads a signed session cookie (URI-encoded, as browsers send it back)', async () => {
    expect(await readSessionToken({ cookie: `better-auth.session_token=${encodeURIComponent(signed)}` }, s)).toEqual({ kind: 'token', token });
  });

  it('reads the __Secure- cookie name in production, and ignores the plain one there', async () => {
    const secure = settings({}, '__Secure-');
    expect(await readSessionToken({ cookie: `__Secure-better-auth.session_token=${encodeURIComponent(signed)}` }, secure)).toEqual({ kind: 'token', token });
    expect(await readSessionToken({ cookie: `better-auth.session_token=${encodeURIComponent(signed)}` }, secure)).toEqual({ kind: 'none' });
  });

  it('answers none for a cookie without, or with a wrong, signature', async () => {
    expect(await readSessionToken({ cookie: `better-auth.session_token=${token}` }, s)).toEqual({ kind: 'none' });
    expect(await readSessionToken({ cookie: `better-auth.session_token=${encodeURIComponent(wrong)}` }, s)).toEqual({ kind: 'none' });
    expect(await readSessionToken({ cookie: `better-auth.session_token=${token}.short=` }, s)).toEqual({ kind: 'none' });
    expect(await readSessionToken({}, s)).toEqual({ kind: 'none' });
  });

  it('reads bearer tokens: unsigned, signed, signed and URI-encoded; scheme case-insensitive', async () => {
    expect(await readSessionToken({ authorization: `Bearer ${token}` }, s)).toEqual({ kind: 'token', token });
    expect(await readSessionToken({ authorization: `bearer   ${signed}  ` }, s)).toEqual({ kind: 'token', token });
    expect(await readSessionToken({ authorization: `BEARER ${encodeURIComponent(signed)}` }, s)).toEqual({ kind: 'token', token });
  });

  it('a bearer token with a wrong signature changes nothing: the cookie decides', async () => {
    expect(await readSessionToken({ authorization: `Bearer ${wrong}` }, s)).toEqual({ kind: 'none' });
    const other = 'ZZZZEf0123456789AbCdEf0123456789';
    const cookie = `better-auth.session_token=${encodeURIComponent(`${other}.${signValue(other, secret)}`)}`;
    expect(await readSessionToken({ authorization: `Bearer ${wrong}`, cookie }, s)).toEqual({ kind: 'token', token: other });
    expect(await readSessionToken({ authorization: `Bearer ${token}`, cookie }, s)).toEqual({ kind: 'token', token });
  });

  it('with requireSignature an unsigned bearer token is ignored; without the plugin every bearer is', async () => {
    expect(await readSessionToken({ authorization: `Bearer ${token}` }, settings({ bearer: { enabled: true, requireSignature: true } }))).toEqual({ kind: 'none' });
    expect(await readSessionToken({ authorization: `Bearer ${signed}` }, settings({ bearer: { enabled: false, requireSignature: false } }))).toEqual({ kind: 'none' });
    expect(await readSessionToken({ authorization: `Basic ${token}` }, s)).toEqual({ kind: 'none' });
  });

  it('defers to Better-Auth for cookie cache, "don\'t remember me" and unusual spellings', async () => {
    expect(await readSessionToken({ authorization: `Bearer ${token}`, cookie: 'better-auth.dont_remember=x' }, s)).toEqual({ kind: 'defer' });
    expect(await readSessionToken({ cookie: `better-auth.session_token=${encodeURIComponent(signed)}; better-auth.session_data=x` }, s)).toEqual({ kind: 'defer' });
    expect(await readSessionToken({ authorization: 'Bearer a.b.c' }, s)).toEqual({ kind: 'defer' });
    expect(await readSessionToken({ authorization: 'Bearer tök€n' }, s)).toEqual({ kind: 'defer' });
    expect(await readSessionToken({ cookie: `better-auth.session_token=${token}.${'-'.repeat(43)}=` }, s)).toEqual({ kind: 'defer' });
  });

  it('reads x-api-key only when there is exactly one', () => {
    const r = reader();
    expect(r.apiKey({ 'x-api-key': 'sk_abc' })).toBe('sk_abc');
    expect(r.apiKey({ 'x-api-key': ['a', 'b'] })).toBeUndefined();
    expect(r.apiKey({})).toBeUndefined();
  });

  it('a non-canonical base64 spelling of the right signature verifies, as in better-call', async () => {
    const canonical = signValue(token, secret);
    // 32 bytes → 43 characters + '=': the last character carries two spare bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = alphabet.indexOf(canonical[42]);
    const twin = `${canonical.slice(0, 42)}${alphabet[last ^ 1]}=`;
    expect(Buffer.from(twin, 'base64').equals(Buffer.from(canonical, 'base64'))).toBe(true);
    expect(await reader().sessionToken({ cookie: `better-auth.session_token=${encodeURIComponent(`${token}.${twin}`)}` })).toEqual({ kind: 'token', token });
  });
});
