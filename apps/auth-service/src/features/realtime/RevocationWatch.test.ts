import { cacheTags } from '@libs/database/postgress/repositories';
import { revalidationOf } from './RevocationWatch';

describe('revalidationOf: invalidations → the sockets to re-decide, through the tag contract', () => {
  it('maps session, user and key rows to their sockets', () => {
    const { filter, unknownTags } = revalidationOf({ type: 'tags', tags: [cacheTags.session('s1'), cacheTags.user('u1'), cacheTags.apiKey('k1'), cacheTags.apiKey('k2')] });
    expect(filter).toEqual({ sessionIds: ['s1'], userIds: ['u1'], apiKeyIds: ['k1', 'k2'] });
    expect(unknownTags).toEqual([]);
  });

  it('maps bulk tags to every socket of their kind (roles: every key socket), and clear to all', () => {
    expect(revalidationOf({ type: 'tags', tags: [cacheTags.allSessions] }).filter).toMatchObject({ allSessions: true });
    expect(revalidationOf({ type: 'tags', tags: [cacheTags.allApiKeys] }).filter).toMatchObject({ allKeys: true });
    expect(revalidationOf({ type: 'tags', tags: [cacheTags.roles] }).filter).toMatchObject({ allKeys: true });
    expect(revalidationOf({ type: 'tags', tags: [cacheTags.allUsers] }).filter).toMatchObject({ all: true });
    expect(revalidationOf({ type: 'clear' }).filter).toEqual({ all: true });
  });

  it('a tag no repository builds (a renamed one) re-decides every socket and is reported, never ignored', () => {
    const { filter, unknownTags } = revalidationOf({ type: 'tags', tags: ['usr:u1'] });
    expect(filter).toMatchObject({ all: true });
    expect(unknownTags).toEqual(['usr:u1']);
  });

  it('key deletions and prefix drops concern no socket (their rows are re-read through tags)', () => {
    expect(revalidationOf({ type: 'keys', keys: ['user:id:u1'] }).filter).toBeNull();
    expect(revalidationOf({ type: 'prefix', prefix: 'rate:' }).filter).toBeNull();
  });

  it('reads tags under the cache namespace the repositories write through', () => {
    expect(revalidationOf({ type: 'tags', tags: [`db:${cacheTags.session('s1')}`] }, 'db:').filter).toMatchObject({ sessionIds: ['s1'] });
  });
});
