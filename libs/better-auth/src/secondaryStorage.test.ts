import { ResilientCacheService } from '@libs/database/cache';
import { cacheSecondaryStorage } from './secondaryStorage';

describe('secondaryStorage on our cache', () => {
  const snapshot = (token: string, userId: string) => JSON.stringify({ session: { token, userId, expiresAt: new Date().toISOString() }, user: { id: userId } });

  it('stores, reads and deletes values with their TTL', async () => {
    const storage = cacheSecondaryStorage(new ResilientCacheService(), async () => true);
    await storage.set('k', 'v', 60);
    expect(await storage.get('k')).toBe('v');
    expect(await storage.getAndDelete('k')).toBe('v');
    expect(await storage.get('k')).toBeNull();
    expect(await storage.increment('n', 60)).toBe(1);
    expect(await storage.increment('n', 60)).toBe(2);
  });

  it('re-checks every stored session snapshot, so a ban or a revocation is never served from it', async () => {
    const allowed = new Set(['live-token']);
    const storage = cacheSecondaryStorage(new ResilientCacheService(), async (token, userId) => allowed.has(token) && userId === 'u1');
    await storage.set('live-token', snapshot('live-token', 'u1'), 60);
    await storage.set('revoked-token', snapshot('revoked-token', 'u1'), 60);
    expect(await storage.get('live-token')).toContain('"u1"');
    expect(await storage.get('revoked-token')).toBeNull();
    allowed.delete('live-token'); // e.g. the user was banned through the repositories
    expect(await storage.get('live-token')).toBeNull();
    await storage.set('active-sessions-u1', '[{"token":"live-token"}]', 60);
    expect(await storage.get('active-sessions-u1')).toBe('[{"token":"live-token"}]'); // not a snapshot
  });
});
