import { apiKeyGrant, type ApiKey, type User } from '@libs/database/models';
import type { IApiKeyRepository } from '@libs/database/postgress/repositories';
import type { RateLimiter } from '../shared/RateLimiter';
import type { WindowLimit } from '../shared/RateLimiter';
import { checkKey } from '../../access/apiKeys';
import { keyPrincipal, type KeyPrincipal } from '../../access/Principal';
import { API_KEY_ERROR_CODES } from './error-codes';

/** Whether a key's owner may act now (the access core decides). */
export interface KeyOwners {
  actingUser(userId: string): Promise<User | null>;
}

/** What the verifier reads: the key rows, whether an owner may act, the limiter keys count in. */
export interface ApiKeyVerifierDependencies {
  /** The key rows: `findPresented` (lookup + secret check, no judgement), `recordUse`, `expireSweep`. */
  apiKeys: Pick<IApiKeyRepository, 'findPresented' | 'recordUse' | 'expireSweep'>;
  owners: KeyOwners;
  rateLimiter: RateLimiter;
  /** The clock expiry is judged on. @default Date.now */
  now?: () => number;
}

export type ApiKeyError = (typeof API_KEY_ERROR_CODES)[keyof typeof API_KEY_ERROR_CODES];

export type VerifyOutcome =
  | { ok: true; principal: KeyPrincipal; apiKey: Omit<ApiKey, 'keyHash'>; rateLimit?: { limit: number; remaining: number; resetInMs: number } }
  | { ok: false; status: 401 | 403 | 429; error: ApiKeyError; retryAfterS?: number; missingScopes?: string[] };

export interface ApiKeyVerifierOptions {
  /** Limit of keys without their own `rateLimit`; `null` = unlimited. @default { max: 1_000, windowMs: 60_000 } */
  defaultRateLimit?: WindowLimit | null;
  /** Keys longer than this are refused before any work. @default 200 */
  maxKeyLength?: number;
  /** At most one expiry sweep (ACTIVE → EXPIRED) per this interval when an expired key shows up. @default 10_000 */
  expireSweepMinIntervalMs?: number;
}

export const DEFAULT_API_KEY_VERIFIER_OPTIONS = {
  defaultRateLimit: { max: 1_000, windowMs: 60_000 },
  maxKeyLength: 200,
  expireSweepMinIntervalMs: 10_000,
} as const satisfies Required<ApiKeyVerifierOptions>;

const INVALID: VerifyOutcome = { ok: false, status: 401, error: API_KEY_ERROR_CODES.INVALID_API_KEY };

/** The per-key limit stored in the key's metadata (`{ rateLimit: { max, windowMs } }`). */
export function keyRateLimit(key: Pick<ApiKey, 'metadata'>): WindowLimit | undefined {
  const limit = (key.metadata as { rateLimit?: WindowLimit } | null)?.rateLimit;
  return limit && Number.isInteger(limit.max) && Number.isInteger(limit.windowMs) ? limit : undefined;
}

/**
 * The one key check (reached through the access core, and by the verify endpoint): the key's row
 * (cache-first, no write), judged by the access core's `checkKey` (status, expiry on the core's
 * clock, `requiredScopes` against the key's own grant), whether the owner may act, then the key's
 * rate limit. Unknown, malformed, truncated and over-long keys all get the
 * same INVALID_API_KEY answer.
 */
export class ApiKeyVerifier {
  readonly #apiKeys: ApiKeyVerifierDependencies['apiKeys'];
  readonly #now: () => number;
  readonly #owners: KeyOwners;
  readonly #limiter: RateLimiter;
  readonly #options: Required<ApiKeyVerifierOptions>;
  #lastSweep = 0;

  constructor(deps: ApiKeyVerifierDependencies, options: ApiKeyVerifierOptions = {}) {
    this.#apiKeys = deps.apiKeys;
    this.#owners = deps.owners;
    this.#limiter = deps.rateLimiter;
    this.#now = deps.now ?? Date.now;
    this.#options = { ...DEFAULT_API_KEY_VERIFIER_OPTIONS, ...options };
  }

  get rateLimiter(): RateLimiter {
    return this.#limiter;
  }

  /**
   * Checks a presented key. Throws only when the database is unreachable (the route answers 503).
   * `countRate: false` re-checks a key already in use (an open socket) without spending its rate limit.
   */
  async verify(plainKey: unknown, requiredScopes: readonly string[] = [], options: { countRate?: boolean } = {}): Promise<VerifyOutcome> {
    if (typeof plainKey !== 'string' || plainKey.length === 0 || plainKey.length > this.#options.maxKeyLength) return INVALID;
    const found = await this.#apiKeys.findPresented(plainKey);
    if (!found.apiKey) return INVALID;
    const key = found.apiKey;
    const check = checkKey(key, requiredScopes, this.#now());
    if (!check.ok) {
      switch (check.reason) {
        case 'REVOKED':
          return { ok: false, status: 401, error: API_KEY_ERROR_CODES.API_KEY_REVOKED };
        case 'EXPIRED':
          this.#sweepExpired(key.status);
          return { ok: false, status: 401, error: API_KEY_ERROR_CODES.API_KEY_EXPIRED };
        case 'INACTIVE':
          return { ok: false, status: 401, error: API_KEY_ERROR_CODES.API_KEY_INACTIVE };
        case 'INSUFFICIENT_SCOPE':
          return { ok: false, status: 403, error: API_KEY_ERROR_CODES.INSUFFICIENT_SCOPE, missingScopes: check.missingScopes };
      }
    }
    this.#apiKeys.recordUse(key.id);
    // Cached and invalidated across instances by IUserRepository: a ban is seen on the next request.
    const user = await this.#owners.actingUser(key.userId);
    if (!user) return INVALID;
    const principal = keyPrincipal(user, { id: key.id, name: key.name, scopes: key.scopes, grant: apiKeyGrant(key), storeId: key.storeId, expiresAt: key.expiresAt });
    const limit = keyRateLimit(key) ?? this.#options.defaultRateLimit;
    if (!limit || options.countRate === false) return { ok: true, principal, apiKey: key };
    const decision = await this.#limiter.hit(`apikey:${key.id}`, limit);
    if (!decision.allowed) {
      return { ok: false, status: 429, error: API_KEY_ERROR_CODES.RATE_LIMITED, retryAfterS: Math.max(1, Math.ceil(decision.resetInMs / 1_000)) };
    }
    return { ok: true, principal, apiKey: key, rateLimit: { limit: decision.limit, remaining: Math.max(0, decision.limit - decision.count), resetInMs: decision.resetInMs } };
  }

  /** An ACTIVE key past its expiry is marked EXPIRED in the background, at most once per interval. */
  #sweepExpired(status: string | undefined): void {
    const now = this.#now();
    if (status !== 'ACTIVE' || now - this.#lastSweep < this.#options.expireSweepMinIntervalMs) return;
    this.#lastSweep = now;
    this.#apiKeys.expireSweep().catch(() => undefined); // retried on the next expired key; never fails a check
  }
}
