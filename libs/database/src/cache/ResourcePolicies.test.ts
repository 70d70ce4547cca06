import { ResourcePolicies } from './ResourcePolicies';

describe('ResourcePolicies', () => {
  const policies = new ResourcePolicies({ session: { ttlMs: 1_000, staleIfErrorMs: 0 }, apiKey: { ttlMs: 2_000, negativeTtlMs: 500 } }, 30_000, 0);

  it('applies the resource policy over the defaults', () => {
    expect(policies.resolve({ resource: 'session' })).toEqual({ ttlMs: 1_000, graceMs: 0, negativeTtlMs: 0 });
    expect(policies.resolve({ resource: 'apiKey' })).toEqual({ ttlMs: 2_000, graceMs: 30_000, negativeTtlMs: 500 });
    expect(policies.resolve({ resource: 'user' })).toEqual({ ttlMs: 300_000, graceMs: 30_000, negativeTtlMs: 0 });
  });

  it('lets per-call options win and unknown resources fall back to default', () => {
    expect(policies.resolve({ resource: 'session', ttlMs: 5, staleIfErrorMs: 6, negativeTtlMs: 7 })).toEqual({ ttlMs: 5, graceMs: 6, negativeTtlMs: 7 });
    expect(policies.resolve({ resource: 'nope' })).toEqual({ ttlMs: 60_000, graceMs: 30_000, negativeTtlMs: 0 });
    expect(policies.resolve(undefined)).toEqual({ ttlMs: 60_000, graceMs: 30_000, negativeTtlMs: 0 });
  });
});
