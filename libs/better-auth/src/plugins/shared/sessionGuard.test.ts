import { APIError } from 'better-auth/api';
import { createPrincipalLimit } from '../../access/principalLimit';
import { RateLimiter } from './RateLimiter';
import { overBudget } from './sessionGuard';

const limits = { user: { max: 2, windowMs: 60_000 }, address: { max: 3, windowMs: 60_000 } };
const from = (address: string) => new Request('http://127.0.0.1/api/auth/roles/my-permissions', { headers: { 'x-forwarded-for': address } });
const sessionOf = (userId: string, apiKeyId?: string) => ({ session: apiKeyId ? { apiKeyId } : {}, user: { id: userId } });

describe('overBudget: the plugin endpoints count callers in the principal limit (rate-limiter-flexible in memory)', () => {
  it('a signed-in user past its budget gets 429 RATE_LIMITED with Retry-After; other users go on', async () => {
    const limit = createPrincipalLimit(new RateLimiter(), limits);
    expect(await overBudget(limit, from('10.0.0.1'), sessionOf('alice'))).toBeNull();
    expect(await overBudget(limit, from('10.0.0.2'), sessionOf('alice'))).toBeNull();
    const refused = await overBudget(limit, from('10.0.0.3'), sessionOf('alice'));
    expect(refused).toBeInstanceOf(APIError);
    expect(refused!.statusCode).toBe(429);
    expect(refused!.body).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('account') });
    const retryAfter = Number(new Headers(refused!.headers as ConstructorParameters<typeof Headers>[0]).get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await overBudget(limit, from('10.0.0.3'), sessionOf('bob'))).toBeNull();
  });

  it('an API key standing in for its owner counts per address only; the address bucket holds for everybody', async () => {
    const limit = createPrincipalLimit(new RateLimiter(), limits);
    for (let i = 0; i < 3; i++) expect(await overBudget(limit, from('10.1.0.1'), sessionOf('owner', 'key-1'))).toBeNull();
    expect(await overBudget(limit, from('10.1.0.1'), sessionOf('someone-else'))).toMatchObject({ statusCode: 429, body: { code: 'RATE_LIMITED', message: expect.stringContaining('address') } });
    // The owner's own budget is untouched by its key's calls.
    expect(await overBudget(limit, from('10.1.0.2'), sessionOf('owner'))).toBeNull();
  });

  it('an in-process call (auth.api.*, no HTTP request) is not counted', async () => {
    const limit = createPrincipalLimit(new RateLimiter(), { user: { max: 1, windowMs: 60_000 }, address: { max: 1, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) expect(await overBudget(limit, undefined, sessionOf('alice'))).toBeNull();
    expect(await overBudget(limit, from('10.2.0.1'), sessionOf('alice'))).toBeNull();
  });

  it("an app's resolver names the address, not the request's headers", async () => {
    const limit = createPrincipalLimit(new RateLimiter(), { user: { max: 100, windowMs: 60_000 }, address: { max: 2, windowMs: 60_000 } });
    const resolved = new WeakMap<Request, string>();
    const via = (header: string, client: string) => {
      const request = from(header);
      resolved.set(request, client);
      return request;
    };
    const address = (request: Request) => resolved.get(request) ?? 'unknown';
    // Three different headers, one client: its bucket is spent.
    expect(await overBudget(limit, via('10.3.0.1', '192.0.2.1'), sessionOf('a'), address)).toBeNull();
    expect(await overBudget(limit, via('10.3.0.2', '192.0.2.1'), sessionOf('b'), address)).toBeNull();
    expect(await overBudget(limit, via('10.3.0.3', '192.0.2.1'), sessionOf('c'), address)).toMatchObject({ statusCode: 429, body: { code: 'RATE_LIMITED', message: expect.stringContaining('address') } });
    // One header, another client: a bucket of its own.
    expect(await overBudget(limit, via('10.3.0.3', '192.0.2.2'), sessionOf('c'), address)).toBeNull();
  });
});
