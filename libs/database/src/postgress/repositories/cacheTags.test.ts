import { cacheTags, SECURITY_CACHE_TAGS } from './cacheTags';
import { userCacheKeys } from './userCacheKeys';

describe('cache tags', () => {
  it('row tags are distinct per resource and id (ids with colons too)', () => {
    const tags = [cacheTags.session('s-1'), cacheTags.user('s-1'), cacheTags.apiKey('s-1'), cacheTags.user('a:b')];
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('the user repository keys its tags through the builders', () => {
    expect(userCacheKeys.tag('u-2')).toBe(cacheTags.user('u-2'));
    expect(userCacheKeys.all).toBe(cacheTags.allUsers);
  });

  it('every security-relevant entry kind has a bulk tag in SECURITY_CACHE_TAGS', () => {
    expect([...SECURITY_CACHE_TAGS].sort()).toEqual([cacheTags.allApiKeys, cacheTags.allSessions, cacheTags.allUsers, cacheTags.roles].sort());
  });
});
