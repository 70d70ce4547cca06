import { readSessionToken } from './readSessionToken';
import type { SessionSettings } from './sessionSettings';
import { signValue } from './signature';

const secret = 'test-secret-that-is-long-enough-0123456789';
const token = 'AbCdEf0123456789AbCdEf0123456789';
const signed = `${token}.${signValue(token, secret)}`;
const wrong = `${token}.${signValue(token, 'another-secret-another-secret-xx')}`;

function settings(overrides: Partial<SessionSettings> = {}, prefix = ''): SessionSettings {
  return {
    path: '/api/auth/get-session',
    secret,
    cookies: { sessionToken: `${prefix}better-auth.session_token`, sessionData: `${prefix}better-auth.session_data`, dontRemember: `${prefix}better-auth.dont_remember` },
    expiresInMs: 7 * 86_400_000,
    updateAgeMs: 86_400_000,
    bearer: { enabled: true, requireSignature: false },
    sessionFields: [],
    userFields: [],
    expiredCookies: [],
    requestHooks: [],
    rateLimit: null,
    hidden: { session: new Set(), user: new Set() },
    storage: null,
    unsupported: [],
    ...overrides,
  };
}

describe('readSessionToken (Better-Auth 1.7.25 rules)', () => {
  const s = settings();
  it('reads a signed session cookie (URI-encoded, as browsers send it back)', () => {
    expect(readSessionToken({ cookie: `better-auth.session_token=${encodeURIComponent(signed)}` }, s)).toEqual({ kind: 'token', token });
  });

  it('reads the __Secure- cookie name in production, and ignores the plain one there', () => {
    const secure = settings({}, '__Secure-');
    expect(readSessionToken({ cookie: `__Secure-better-auth.session_token=${encodeURIComponent(signed)}` }, secure)).toEqual({ kind: 'token', token });
    expect(readSessionToken({ cookie: `better-auth.session_token=${encodeURIComponent(signed)}` }, secure)).toEqual({ kind: 'none' });
  });

  it('answers none for a cookie without, or with a wrong, signature', () => {
    expect(readSessionToken({ cookie: `better-auth.session_token=${token}` }, s)).toEqual({ kind: 'none' });
    expect(readSessionToken({ cookie: `better-auth.session_token=${encodeURIComponent(wrong)}` }, s)).toEqual({ kind: 'none' });
    expect(readSessionToken({ cookie: `better-auth.session_token=${token}.short=` }, s)).toEqual({ kind: 'none' });
    expect(readSessionToken({}, s)).toEqual({ kind: 'none' });
  });

  it('reads bearer tokens: unsigned, signed, signed and URI-encoded; scheme case-insensitive', () => {
    expect(readSessionToken({ authorization: `Bearer ${token}` }, s)).toEqual({ kind: 'token', token });
    expect(readSessionToken({ authorization: `bearer   ${signed}  ` }, s)).toEqual({ kind: 'token', token });
    expect(readSessionToken({ authorization: `BEARER ${encodeURIComponent(signed)}` }, s)).toEqual({ kind: 'token', token });
  });

  it('a bearer token with a wrong signature changes nothing: the cookie decides', () => {
    expect(readSessionToken({ authorization: `Bearer ${wrong}` }, s)).toEqual({ kind: 'none' });
    const other = 'ZZZZEf0123456789AbCdEf0123456789';
    const cookie = `better-auth.session_token=${encodeURIComponent(`${other}.${signValue(other, secret)}`)}`;
    expect(readSessionToken({ authorization: `Bearer ${wrong}`, cookie }, s)).toEqual({ kind: 'token', token: other });
    expect(readSessionToken({ authorization: `Bearer ${token}`, cookie }, s)).toEqual({ kind: 'token', token });
  });

  it('with requireSignature an unsigned bearer token is ignored; without the plugin every bearer is', () => {
    expect(readSessionToken({ authorization: `Bearer ${token}` }, settings({ bearer: { enabled: true, requireSignature: true } }))).toEqual({ kind: 'none' });
    expect(readSessionToken({ authorization: `Bearer ${signed}` }, settings({ bearer: { enabled: false, requireSignature: false } }))).toEqual({ kind: 'none' });
    expect(readSessionToken({ authorization: `Basic ${token}` }, s)).toEqual({ kind: 'none' });
  });

  it('defers to Better-Auth for cookie cache, "don\'t remember me" and unusual spellings', () => {
    expect(readSessionToken({ authorization: `Bearer ${token}`, cookie: 'better-auth.dont_remember=x' }, s)).toEqual({ kind: 'defer' });
    expect(readSessionToken({ cookie: `better-auth.session_token=${encodeURIComponent(signed)}; better-auth.session_data=x` }, s)).toEqual({ kind: 'defer' });
    expect(readSessionToken({ authorization: 'Bearer a.b.c' }, s)).toEqual({ kind: 'defer' });
    expect(readSessionToken({ authorization: 'Bearer tök€n' }, s)).toEqual({ kind: 'defer' });
    expect(readSessionToken({ cookie: `better-auth.session_token=${token}.${'-'.repeat(43)}=` }, s)).toEqual({ kind: 'defer' });
  });
});
