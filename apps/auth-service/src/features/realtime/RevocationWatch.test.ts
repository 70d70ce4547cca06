import type { InvalidationEvent, ResilientCacheService } from '@libs/database/cache';
import type { FastifyBaseLogger } from 'fastify';
import { revalidationOf, watchRevocations } from './RevocationWatch';
import type { RevalidationFilter, WebSocketAuthService } from './WebSocketAuthService';

describe('revalidationOf: typed invalidation events → the sockets to re-decide', () => {
  it('maps session, user and key rows to their sockets', () => {
    const filter = revalidationOf([
      { kind: 'session-changed', id: 's1' },
      { kind: 'user-changed', id: 'u1' },
      { kind: 'key-changed', id: 'k1' },
      { kind: 'key-changed', id: 'k2' },
    ]);
    expect(filter).toEqual({ sessionIds: ['s1'], userIds: ['u1'], apiKeyIds: ['k1', 'k2'] });
  });

  it('maps bulk events to every socket of their kind (roles: every key socket)', () => {
    expect(revalidationOf([{ kind: 'all-sessions-changed' }])).toMatchObject({ allSessions: true });
    expect(revalidationOf([{ kind: 'all-keys-changed' }])).toMatchObject({ allKeys: true });
    expect(revalidationOf([{ kind: 'roles-changed' }])).toMatchObject({ allKeys: true });
    expect(revalidationOf([{ kind: 'roles-changed' }]).all).toBeUndefined();
  });

  it('all users and may-have-missed (a bus reconnected, a clear) re-decide every socket', () => {
    expect(revalidationOf([{ kind: 'all-users-changed' }])).toMatchObject({ all: true });
    expect(revalidationOf([{ kind: 'may-have-missed' }])).toMatchObject({ all: true });
  });

  it('an event kind this build does not know (a newer sender) is refused loudly, not ignored', () => {
    expect(() => revalidationOf([{ kind: 'tenant-changed', id: 't1' } as unknown as InvalidationEvent])).toThrow(/tenant-changed/);
  });
});

describe('watchRevocations', () => {
  function setup(size = 1) {
    let listener: ((event: InvalidationEvent) => void) | undefined;
    const cache = { onInvalidation: (l: (event: InvalidationEvent) => void) => ((listener = l), () => (listener = undefined)) } as unknown as ResilientCacheService;
    const decided: RevalidationFilter[] = [];
    const service = { size, revalidate: async (filter: RevalidationFilter) => (decided.push(filter), 0) } as unknown as WebSocketAuthService;
    const logger = { warn: () => undefined } as unknown as FastifyBaseLogger;
    const unwatch = watchRevocations(cache, service, logger);
    return { emit: (event: InvalidationEvent) => listener?.(event), decided, unwatch, listening: () => listener !== undefined };
  }
  const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve));

  it('re-decides the sockets of the events of one tick together (sign-out everywhere: one pass)', async () => {
    const { emit, decided } = setup();
    emit({ kind: 'session-changed', id: 's1' });
    emit({ kind: 'session-changed', id: 's2' });
    emit({ kind: 'user-changed', id: 'u1' });
    await tick();
    expect(decided).toEqual([{ sessionIds: ['s1', 's2'], userIds: ['u1'], apiKeyIds: [] }]);
    emit({ kind: 'key-changed', id: 'k1' });
    await tick();
    expect(decided[1]).toEqual({ sessionIds: [], userIds: [], apiKeyIds: ['k1'] });
  });

  it('does nothing while no socket is open, and stops on unwatch', async () => {
    const idle = setup(0);
    idle.emit({ kind: 'may-have-missed' });
    await tick();
    expect(idle.decided).toEqual([]);
    const watched = setup();
    watched.unwatch();
    expect(watched.listening()).toBe(false);
  });
});
