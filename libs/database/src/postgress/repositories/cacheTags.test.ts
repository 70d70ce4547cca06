import { cacheTags, parseCacheTag } from './cacheTags';
import { userCacheKeys } from './userCacheKeys';

describe('cache tag contract', () => {
  it('parses every row tag it builds back to its resource and id (ids with colons too)', () => {
    expect(parseCacheTag(cacheTags.session('s-1'))).toEqual({ kind: 'row', resource: 'session', id: 's-1' });
    expect(parseCacheTag(cacheTags.user('u-1'))).toEqual({ kind: 'row', resource: 'user', id: 'u-1' });
    expect(parseCacheTag(cacheTags.apiKey('k-1'))).toEqual({ kind: 'row', resource: 'apiKey', id: 'k-1' });
    expect(parseCacheTag(cacheTags.user('a:b'))).toEqual({ kind: 'row', resource: 'user', id: 'a:b' });
  });

  it('parses every bulk tag it builds', () => {
    expect(parseCacheTag(cacheTags.allSessions)).toEqual({ kind: 'bulk', resource: 'session' });
    expect(parseCacheTag(cacheTags.allUsers)).toEqual({ kind: 'bulk', resource: 'user' });
    expect(parseCacheTag(cacheTags.allApiKeys)).toEqual({ kind: 'bulk', resource: 'apiKey' });
    expect(parseCacheTag(cacheTags.roles)).toEqual({ kind: 'bulk', resource: 'role' });
  });

  it('the user repository keys its tags through the contract', () => {
    expect(userCacheKeys.tag('u-2')).toBe(cacheTags.user('u-2'));
    expect(userCacheKeys.all).toBe(cacheTags.allUsers);
  });

  it('a renamed or unknown tag is reported as unknown, never as a near match', () => {
    for (const tag of ['usr:u-1', 'sessionz:s-1', 'session:', 'session', 'apikey', 'store:1', ':u-1', '']) {
      expect(parseCacheTag(tag)).toEqual({ kind: 'unknown', tag });
    }
  });

  it('reads tags under the repositories\' cache namespace and nothing outside it', () => {
    expect(parseCacheTag(`db:${cacheTags.session('s-1')}`, 'db:')).toEqual({ kind: 'row', resource: 'session', id: 's-1' });
    expect(parseCacheTag(`db:${cacheTags.allUsers}`, 'db:')).toEqual({ kind: 'bulk', resource: 'user' });
    expect(parseCacheTag(cacheTags.session('s-1'), 'db:')).toEqual({ kind: 'unknown', tag: 'session:s-1' });
  });
});
