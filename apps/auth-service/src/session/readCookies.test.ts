import { parseCookies } from 'better-call';
import { readCookies, type SessionCookieNames } from './readCookies';

const names: SessionCookieNames = { sessionToken: 'better-auth.session_token', sessionData: 'better-auth.session_data', dontRemember: 'better-auth.dont_remember' };

describe('readCookies', () => {
  it.each([
    'better-auth.session_token=abc.def',
    'a=1; better-auth.session_token=abc%2Edef%3D; b=2',
    'better-auth.session_token="quoted.value"',
    'better-auth.session_token=first; better-auth.session_token=second',
    'x; y=1; better-auth.session_token = spaced ;z=2',
    'better-auth.session_token=%E0%A4%A',
    'nothing=here',
    '',
  ])('reads the session cookie of %p as better-call parseCookies does', (header) => {
    expect(readCookies(header, names).sessionToken).toBe(parseCookies(header).get(names.sessionToken));
  });

  it('flags the cookie cache (and its chunks) and "don\'t remember me"', () => {
    expect(readCookies('better-auth.session_token=a.b', names).other).toBe(false);
    expect(readCookies('better-auth.session_data=x', names).other).toBe(true);
    expect(readCookies('better-auth.session_data.0=x', names).other).toBe(true);
    expect(readCookies('better-auth.dont_remember=true.sig', names).other).toBe(true);
    expect(readCookies(undefined, names)).toEqual({ other: false });
  });
});
