import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { clientAddress } from '../http/clientAddress';
import { tooManyRequests } from '../http/tooManyRequests';
import type { RateLimiter, WindowLimit } from '@libs/better-auth';

export const TOO_MANY_FAILED_CREDENTIALS = { code: 'TOO_MANY_FAILED_CREDENTIALS', message: 'Too many unknown credentials from this address. Please try again later.' } as const;

/** The lean verify route, which takes the key in its body. */
const VERIFY_PATH = '/api/auth/api-key/verify';

/** Whether the request carries a credential the app looks up (session cookie, bearer, API key, or a key to verify). */
function presentsCredential(request: FastifyRequest): boolean {
  const { headers } = request;
  // The route Fastify matched, never the raw URL: `/api/auth/%61pi-key/verify` reaches it too.
  if (request.method === 'POST' && request.routeOptions.url === VERIFY_PATH) return true;
  return headers['x-api-key'] !== undefined || headers.authorization !== undefined || (typeof headers.cookie === 'string' && headers.cookie.includes('session_token'));
}

interface RequestScope {
  failed: boolean;
  /** The client address (http/clientAddress.ts), resolved once per request. */
  address: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while a request presenting a credential is served (access/credentialFailures.ts). */
    credentialFailureScope: RequestScope | null;
  }
}

/**
 * A per-address limit on FAILED credential lookups, on every route family at once (Better-Auth's
 * /api/auth/*, the lean get-session route, /api/admin/*, the /ws upgrade, api-key verify): the
 * repositories report each unknown session token or API key (`markFailed`, through their
 * `onUnknownCredential` hook) into the request's scope; when the request ends, the address is
 * charged one failure on the shared RateLimiter (Redis, memory insurance). Past `limit.max` in a
 * window, every request *presenting a credential* from that address is answered 429 with
 * Retry-After before any lookup — until the window ends. Other addresses, and requests without
 * a credential (sign-in), are not affected; a valid credential never counts.
 */
export class CredentialFailureGuard {
  readonly #scope = new AsyncLocalStorage<RequestScope>();
  /** address → when its block ends (ms), as this instance last learned from the limiter. */
  readonly #blocked = new LRUCache<string, number>({ max: 10_000 });
  readonly #limiter: RateLimiter;
  readonly #limit: WindowLimit;
  readonly #now: () => number;

  constructor(limiter: RateLimiter, limit: WindowLimit, now: () => number = Date.now) {
    this.#limiter = limiter;
    this.#limit = limit;
    this.#now = now;
  }

  /** The current request presented a credential that does not exist (called by the repositories). */
  markFailed(): void {
    const scope = this.#scope.getStore();
    if (scope) scope.failed = true;
  }

  /** Seconds until `address` may present credentials again, or 0. */
  blockedFor(address: string): number {
    const until = this.#blocked.get(address);
    if (until === undefined) return 0;
    const left = until - this.#now();
    if (left <= 0) {
      this.#blocked.delete(address);
      return 0;
    }
    return left / 1_000;
  }

  /** Charges `address` one failure; returns the seconds it is now blocked for (0: within the limit). */
  async recordFailure(address: string): Promise<number> {
    const decision = await this.#limiter.hit(`credential-failures:${address}`, this.#limit);
    // `max` failures are allowed; the request after the max-th is refused.
    if (decision.count < this.#limit.max) return 0;
    this.#blocked.set(address, this.#now() + decision.resetInMs);
    return decision.resetInMs / 1_000;
  }

  /** Root-level hooks (`identityPlugin` calls it on the root instance, before the features). */
  register(app: FastifyInstance): void {
    app.decorateRequest('credentialFailureScope', null);
    const refuse = (reply: FastifyReply, seconds: number) => {
      const answer = tooManyRequests(seconds, TOO_MANY_FAILED_CREDENTIALS);
      void reply.code(429).headers(answer.headers).send(answer.body);
    };
    // On arrival, before body parsing: an address over its limit costs an in-memory check and a
    // 429, nothing more. While no address is blocked this is one size check. A /ws upgrade waits
    // for preValidation: @fastify/websocket's own onRequest hook (registered later) must mark it
    // first, or the upgraded socket is never closed after the 429.
    app.addHook('onRequest', (request, reply, done) => {
      if (this.#blocked.size === 0 || request.headers.upgrade !== undefined || !presentsCredential(request)) return done();
      const seconds = this.blockedFor(clientAddress(request));
      if (seconds > 0) return refuse(reply, seconds);
      done();
    });
    // Checked again once the body is in (the address may have gone over meanwhile), and the
    // scope entered here: a POST body is parsed outside whatever scope onRequest could enter,
    // and everything after (route preValidation such as the /ws upgrade's, guards, the handler)
    // runs inside this call.
    app.addHook('preValidation', (request, reply, done) => {
      if (!presentsCredential(request)) return done();
      const address = clientAddress(request);
      const seconds = this.blockedFor(address);
      if (seconds > 0) return refuse(reply, seconds);
      const scope: RequestScope = { failed: false, address };
      request.credentialFailureScope = scope;
      this.#scope.run(scope, done);
    });
    app.addHook('onResponse', (request, _reply, done) => {
      const scope = request.credentialFailureScope;
      if (!scope?.failed) return done();
      this.recordFailure(scope.address).then(() => done(), done);
    });
  }
}
