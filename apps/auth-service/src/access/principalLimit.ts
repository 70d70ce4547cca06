import type { RateLimiter, WindowLimit } from '@libs/better-auth';
import type { Refusal } from '@libs/better-auth';
import type { Principal } from '@libs/better-auth';

/** Budgets of authenticated callers on the guarded (non-Better-Auth) routes. */
export interface PrincipalLimits {
  /** Per signed-in user (session by cookie or bearer), on every instance together. @default 600 per minute */
  user: WindowLimit;
  /** Per client address (http/clientAddress.ts), whoever is signed in from it. @default 1_200 per minute */
  address: WindowLimit;
}

export const DEFAULT_PRINCIPAL_LIMITS: PrincipalLimits = {
  user: { max: 600, windowMs: 60_000 },
  address: { max: 1_200, windowMs: 60_000 },
};

/** Answers `null` (go on) or the 429 refusal for one authenticated request. */
export type PrincipalLimit = (principal: Principal, address: string) => Promise<Refusal | null>;

const refusal = (resetInMs: number, message: string): Refusal => ({ status: 429, code: 'RATE_LIMITED', message, retryAfterS: Math.max(1, Math.ceil(resetInMs / 1_000)) });

/**
 * Per-principal and per-address buckets for authenticated callers (counted in the shared
 * `RateLimiter`: Redis across instances, memory when it fails — never open). A session counts
 * per user; an API key already has its own per-key bucket (ApiKeyVerifier), so a key caller
 * counts per address only. Both buckets are counted on every request, so neither hides the other.
 */
export function createPrincipalLimit(limiter: RateLimiter, limits: PrincipalLimits = DEFAULT_PRINCIPAL_LIMITS): PrincipalLimit {
  return async (principal, address) => {
    const [byUser, byAddress] = await Promise.all([
      principal.apiKey ? null : limiter.hit(`principal:user:${principal.user.id}`, limits.user),
      limiter.hit(`principal:addr:${address}`, limits.address),
    ]);
    if (byUser && !byUser.allowed) return refusal(byUser.resetInMs, 'Too many requests for this account; retry later.');
    if (!byAddress.allowed) return refusal(byAddress.resetInMs, 'Too many requests from this address; retry later.');
    return null;
  };
}

/** No limit (`AUTH_RATE_LIMIT=off`, load tests). */
export const UNLIMITED: PrincipalLimit = async () => null;
