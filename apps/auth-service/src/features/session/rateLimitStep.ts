import { getIP } from 'better-auth/api';
import type { BetterAuthOptions } from 'better-auth';
import type { FastifyRequest } from 'fastify';
import { CLIENT_ADDRESS_HEADER, clientAddress } from '../../http/clientAddress';

export interface RateLimitRule {
  /** Seconds. */
  window: number;
  max: number;
}

/** Better-Auth's `rateLimit.customStorage` with its atomic `consume` (what the app configures). */
export interface RateLimitStorageLike {
  consume(key: string, rule: RateLimitRule): Promise<{ allowed: boolean; retryAfter: number | null }>;
}

/** Better-Auth's rate-limit step for `/get-session`, resolved once. */
export interface SessionRateLimit {
  storage: RateLimitStorageLike;
  rule: RateLimitRule;
  options: BetterAuthOptions;
}

/** Better-Auth's key when no client address can be trusted. */
const NO_TRUSTED_IP_KEY = 'no-trusted-ip';

/**
 * The client address Better-Auth sees: our bridge (http/webBridge.ts) sets
 * `CLIENT_ADDRESS_HEADER` to `clientAddress(request)`, and Better-Auth reads the configured
 * `ipAddressHeaders` from the bridged request (and normalises it: an IPv6 client counts per /64).
 */
function clientIp(request: FastifyRequest, options: BetterAuthOptions): string | null {
  const headers = {
    get: (name: string): string | null => {
      if (name.toLowerCase() === CLIENT_ADDRESS_HEADER) return clientAddress(request);
      const value = request.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
  return getIP({ headers } as unknown as Request, options);
}

/**
 * Counts this request in Better-Auth's own limiter (same storage, same `ip|/get-session` key and
 * rule), so fast and delegated requests share one budget. Returns the seconds to wait when the
 * request is refused, undefined when it may proceed.
 */
export async function consumeRateLimit(limit: SessionRateLimit, request: FastifyRequest): Promise<number | undefined> {
  const ip = clientIp(request, limit.options);
  if (!ip && limit.options.advanced?.ipAddress?.disableIpTracking) return undefined;
  const { allowed, retryAfter } = await limit.storage.consume(`${ip ?? NO_TRUSTED_IP_KEY}|/get-session`, limit.rule);
  return allowed ? undefined : (retryAfter ?? limit.rule.window);
}

interface RateLimitContextLike {
  rateLimit: { enabled: boolean; window: number; max: number; storage?: string; customStorage?: Partial<RateLimitStorageLike>; customRules?: Record<string, unknown> };
  options: { plugins?: Array<{ id: string; rateLimit?: Array<{ pathMatcher(path: string): boolean; window: number; max: number }> }> };
}

/**
 * Better-Auth's rule for `/get-session` (`resolveRateLimitConfig`): the default window and max,
 * the first plugin rule that matches, then a custom rule for the path. `null` when no limit
 * applies; `unsupported` when the fast path cannot apply it the same way (a storage other than
 * `customStorage.consume`, a rule computed per request, a wildcard rule).
 */
export function resolveRateLimit(ctx: RateLimitContextLike, options: BetterAuthOptions): { limit: SessionRateLimit | null; unsupported?: string } {
  const settings = ctx.rateLimit;
  if (!settings.enabled) return { limit: null };
  let rule: RateLimitRule = { window: settings.window, max: settings.max };
  for (const plugin of ctx.options.plugins ?? []) {
    const matched = plugin.rateLimit?.find((r) => r.pathMatcher('/get-session'));
    if (matched) {
      rule = { window: matched.window, max: matched.max };
      break;
    }
  }
  const customRules = settings.customRules ?? {};
  if (Object.keys(customRules).some((path) => path.includes('*'))) return { limit: null, unsupported: 'a wildcard rate-limit rule' };
  const custom = customRules['/get-session'];
  if (custom === false) return { limit: null };
  if (typeof custom === 'function') return { limit: null, unsupported: 'a per-request rate-limit rule for /get-session' };
  if (custom && typeof custom === 'object') rule = custom as RateLimitRule;
  const consume = settings.customStorage?.consume;
  if (typeof consume !== 'function') return { limit: null, unsupported: "Better-Auth's rate limiter on its own storage (not customStorage.consume)" };
  return { limit: { storage: { consume: consume.bind(settings.customStorage) }, rule, options } };
}
