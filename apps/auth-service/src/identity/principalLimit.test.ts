import Fastify from 'fastify';
import { RateLimiter } from '@libs/better-auth';
import type { AccessCore } from '@libs/better-auth';
import { requirePermission } from './fastifyGuards';
import { keyPrincipal, sessionPrincipal, type Principal } from '@libs/better-auth';
import { createPrincipalLimit } from '@libs/better-auth';

const user = (id: string) => ({ id, storeId: null }) as unknown as Principal['user'];
const key = { id: 'key-1', name: 'svc', scopes: [], grant: ['*'], storeId: null, expiresAt: null };
const limits = { user: { max: 2, windowMs: 60_000 }, address: { max: 3, windowMs: 60_000 } };

describe('createPrincipalLimit (per user and per address, rate-limiter-flexible in memory)', () => {
  it('refuses a user past its budget, with Retry-After, and leaves other users alone', async () => {
    const limit = createPrincipalLimit(new RateLimiter(), limits);
    const alice = sessionPrincipal(user('alice'), null);
    expect(await limit(alice, '10.0.0.1')).toBeNull();
    expect(await limit(alice, '10.0.0.2')).toBeNull();
    const refused = await limit(alice, '10.0.0.3');
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED', message: expect.stringContaining('account') });
    expect(refused!.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(refused!.retryAfterS).toBeLessThanOrEqual(60);
    expect(await limit(sessionPrincipal(user('bob'), null), '10.0.0.3')).toBeNull();
  });

  it('refuses an address past its budget whoever signs in from it', async () => {
    const limit = createPrincipalLimit(new RateLimiter(), limits);
    for (const id of ['u1', 'u2', 'u3']) expect(await limit(sessionPrincipal(user(id), null), '10.0.0.9')).toBeNull();
    expect(await limit(sessionPrincipal(user('u4'), null), '10.0.0.9')).toMatchObject({ status: 429, message: expect.stringContaining('address') });
    expect(await limit(sessionPrincipal(user('u4'), null), '10.0.0.10')).toBeNull();
  });

  it('an API key counts per address (its per-key bucket lives in ApiKeyVerifier), not against its owner', async () => {
    const limit = createPrincipalLimit(new RateLimiter(), limits);
    const owner = user('owner');
    for (let i = 0; i < 3; i++) expect(await limit(keyPrincipal(owner, key), `10.1.0.${i}`)).toBeNull();
    expect(await limit(sessionPrincipal(owner, null), '10.2.0.1')).toBeNull();
  });
});

describe('requirePermission with the principal limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After once the caller is past its budget', async () => {
    const app = Fastify();
    const alice = sessionPrincipal(user('alice'), null);
    // The access core is not under test: it authenticates everyone as alice and grants everything.
    const access = { authenticate: async () => ({ ok: true, principal: alice }), authorize: async () => ({ granted: true }) } as unknown as AccessCore;
    app.decorate('access', access);
    app.decorate('principalLimit', createPrincipalLimit(new RateLimiter(), limits));
    app.decorateRequest('principal', null);
    app.get('/guarded', { preHandler: requirePermission('users:read') }, async () => ({ ok: true }));
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await app.inject({ url: '/guarded' });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last!.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await app.close();
  });
});
