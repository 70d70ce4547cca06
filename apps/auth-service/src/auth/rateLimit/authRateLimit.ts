import { createHash } from 'node:crypto';
import type { BetterAuthOptions, BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { RateLimiter } from '@libs/better-auth';

/** Limits per client IP and path (Better-Auth's own rate limiter, counted in our limiter). */
export const IP_RULES = {
  /** Any auth endpoint (Better-Auth's own default: an SPA polling get-session behind one NAT must fit). */
  default: { window: 10, max: 100 },
  '/sign-in/email': { window: 60, max: 10 },
  '/sign-up/email': { window: 60, max: 5 },
  '/change-password': { window: 60, max: 5 },
} as const;

/** Sign-in attempts per account (any IP), so a botnet cannot guess one password slowly. */
export const ACCOUNT_SIGN_IN_LIMIT = { max: 20, windowMs: 15 * 60_000 } as const;

/**
 * Better-Auth's `rateLimit` option with its counters in our `RateLimiter` (Redis shared by every
 * instance when configured, memory otherwise; a Redis failure falls back to memory, never open).
 */
export function rateLimitOptions(limiter: RateLimiter, enabled: boolean): BetterAuthOptions['rateLimit'] {
  const { default: rule, ...customRules } = IP_RULES;
  return {
    enabled,
    window: rule.window,
    max: rule.max,
    customRules,
    customStorage: {
      consume: async (key, { window, max }) => {
        const decision = await limiter.hit(`ip:${key}`, { max, windowMs: window * 1_000 });
        return { allowed: decision.allowed, retryAfter: decision.allowed ? null : Math.max(1, Math.ceil(decision.resetInMs / 1_000)) };
      },
    },
  };
}

const accountKey = (email: string) => `account:signin:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url').slice(0, 32)}`;

/** Per-account brute-force limit on `/sign-in/email`: 429 with Retry-After past the limit. */
export function accountSignInLimit(limiter: RateLimiter, enabled: boolean) {
  return {
    id: 'account-sign-in-limit',
    hooks: {
      before: [
        {
          matcher: (ctx) => enabled && ctx.path === '/sign-in/email',
          handler: createAuthMiddleware(async (ctx) => {
            const email = (ctx.body as { email?: unknown } | undefined)?.email;
            if (typeof email !== 'string' || email.length > 254) return;
            const decision = await limiter.hit(accountKey(email), ACCOUNT_SIGN_IN_LIMIT);
            if (decision.allowed) return;
            throw new APIError('TOO_MANY_REQUESTS', { code: 'TOO_MANY_ATTEMPTS', message: 'Too many sign-in attempts; retry later.' }, {
              'retry-after': String(Math.max(1, Math.ceil(decision.resetInMs / 1_000))),
            });
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}
