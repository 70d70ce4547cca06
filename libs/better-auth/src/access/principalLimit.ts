import type { RateLimiter, WindowLimit } from '../plugins/shared/RateLimiter';
import type { Refusal } from './AccessCore';

export const DEFAULT_PRINCIPAL_LIMIT_PER_MINUTE = 600;
export const DEFAULT_ADDRESS_LIMIT_PER_MINUTE = 1_200;

/** Budgets of authenticated callers on the guarded Fastify routes and the plugins' Better-Auth endpoints. */
export interface PrincipalLimits {
  /** Per signed-in user (session by cookie or bearer), on every instance together. @default AUTH_PRINCIPAL_LIMIT_PER_MINUTE (600) per minute */
  user: WindowLimit;
  /** Per client address, whoever is signed in from it. @default AUTH_ADDRESS_LIMIT_PER_MINUTE (1 200) per minute */
  address: WindowLimit;
}

/** The budgets a configuration names. */
export function principalLimitsOf(config: { AUTH_PRINCIPAL_LIMIT_PER_MINUTE: number; AUTH_ADDRESS_LIMIT_PER_MINUTE: number }): PrincipalLimits {
  return {
    user: { max: config.AUTH_PRINCIPAL_LIMIT_PER_MINUTE, windowMs: 60_000 },
    address: { max: config.AUTH_ADDRESS_LIMIT_PER_MINUTE, windowMs: 60_000 },
  };
}

export const DEFAULT_PRINCIPAL_LIMITS: PrincipalLimits = principalLimitsOf({ AUTH_PRINCIPAL_LIMIT_PER_MINUTE: DEFAULT_PRINCIPAL_LIMIT_PER_MINUTE, AUTH_ADDRESS_LIMIT_PER_MINUTE: DEFAULT_ADDRESS_LIMIT_PER_MINUTE });

/** What the limit counts of a caller: its user, and the API key it came with (a `Principal` is one). */
export interface LimitedCaller {
  user: { id: string };
  apiKey: { id: string } | null;
}

/** Answers `null` (go on) or the 429 refusal for one authenticated request. */
export type PrincipalLimit = (caller: LimitedCaller, address: string) => Promise<Refusal | null>;

const refusal = (resetInMs: number, message: string): Refusal => ({ status: 429, code: 'RATE_LIMITED', message, retryAfterS: Math.max(1, Math.ceil(resetInMs / 1_000)) });

/**
 * Per-principal and per-address buckets for authenticated callers (counted in the shared
 * `RateLimiter`: Redis across instances, memory when it fails — never open). A session counts
 * per user; an API key already has its own per-key bucket (ApiKeyVerifier), so a key caller
 * counts per address only. Both buckets are counted on every request, so neither hides the other.
 */
export function createPrincipalLimit(limiter: RateLimiter, limits: PrincipalLimits = DEFAULT_PRINCIPAL_LIMITS): PrincipalLimit {
  return async (caller, address) => {
    const [byUser, byAddress] = await Promise.all([
      caller.apiKey ? null : limiter.hit(`principal:user:${caller.user.id}`, limits.user),
      limiter.hit(`principal:addr:${address}`, limits.address),
    ]);
    if (byUser && !byUser.allowed) return refusal(byUser.resetInMs, 'Too many requests for this account; retry later.');
    if (!byAddress.allowed) return refusal(byAddress.resetInMs, 'Too many requests from this address; retry later.');
    return null;
  };
}

/** No limit (`AUTH_RATE_LIMIT=off`, load tests). */
export const UNLIMITED: PrincipalLimit = async () => null;
