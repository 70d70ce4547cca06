import { serializeCookie } from 'better-call';
import { expiredCookie, type CookieAttributes } from './expiredCookie';

describe('expiredCookie', () => {
  const cases: Array<[string, CookieAttributes]> = [
    ['better-auth.session_token', { path: '/', httpOnly: true, sameSite: 'lax', secure: false, maxAge: 604800 }],
    ['__Secure-better-auth.session_data', { path: '/', httpOnly: true, sameSite: 'lax', secure: true, maxAge: 300 }],
    ['__Host-x', { path: '/a', domain: 'example.com', httpOnly: true, sameSite: 'strict' }],
    ['cross', { path: '/', domain: 'example.com', sameSite: 'none', partitioned: true }],
  ];
  it.each(cases)('writes the line better-call writes for %s', (name, attributes) => {
    expect(expiredCookie(name, attributes)).toBe(serializeCookie(name, '', { ...attributes, maxAge: 0 } as never));
  });
});
