import type { FastifyReply, FastifyRequest } from 'fastify';
import { kAPIErrorHeaderSymbol, toResponse } from 'better-call';
import { SESSION_MODEL } from '@libs/better-auth';
import type { Auth } from './createAuth';
import { normalizeTooManyRequests } from '../http/tooManyRequests';
import { outageOf } from '../http/httpError';
import { outageScope } from '../http/outageScope';
import { sendWebResponse, toWebRequest } from '../http/webBridge';
import { withSpan } from '@libs/monitoring';

interface ApiErrorLike {
  statusCode: number;
  body?: unknown;
  headers?: ConstructorParameters<typeof Headers>[0];
}

function isApiError(error: unknown): error is ApiErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as ApiErrorLike).statusCode === 'number' && 'body' in error;
}

/**
 * The answer Better-Auth's router gives for an APIError: better-call's `toResponse`, with the
 * response headers (e.g. cookie deletions) better-call merged into the error.
 */
function apiErrorResponse(error: ApiErrorLike): Response {
  const merged = (error as unknown as Record<symbol, ApiErrorLike['headers'] | undefined>)[kAPIErrorHeaderSymbol];
  return toResponse(error, merged ? { headers: merged } : undefined);
}

/**
 * Whether Better-Auth's answer stands although a database call of this request failed with an
 * outage. Better-Auth turns failed calls into answers of its own — 500, 401 "invalid
 * credentials", 422 FAILED_TO_CREATE_USER, a 200 with no session, a sign-out that deleted
 * nothing, a callback redirected to its error page — so such an answer is the outage in
 * disguise and becomes 503 + Retry-After. Two answers stand:
 * - a rate-limit refusal (429, with its own Retry-After), whatever the database does;
 * - a success (2xx / 3xx) of a request whose session write committed before the first outage:
 *   the effect the answer reports happened — sign-in created the session, sign-out ended it, an
 *   OIDC callback wrote user, account and session — and only later work failed (an account
 *   lookup, an audit write). A 503 there would drop the answer's Set-Cookie: a signed-out
 *   browser keeps a dead cookie, a callback's spent `state` cannot be replayed.
 * A write after the outage does not count (Better-Auth may have acted on a read it lost). Input
 * errors (400) are raised before any database call, so they never meet a recorded outage.
 */
export function answerStandsDespiteOutage(status: number, committedBeforeOutage: ReadonlySet<string>): boolean {
  if (status === 429) return true;
  return status >= 200 && status < 400 && committedBeforeOutage.has(SESSION_MODEL);
}

export interface BetterAuthRouteDependencies {
  auth: Auth;
  baseURL: string;
}

/**
 * Answers one request with Better-Auth's Fetch handler. Better-Auth turns a failed database call
 * into a 500, a 4xx or "no session". Two things make an outage answer 503 +
 * Retry-After instead: the auth instance is built with `onAPIError.throw` (errors reach this
 * function with their cause), and the adapter reports every repository outage to the request's
 * `outageScope`, which catches the ones Better-Auth wrapped or swallowed. Also the fallback of
 * the fast get-session route (src/features/session/) and the catch-all (src/features/betterAuth/).
 */
export function answerWithBetterAuth(request: FastifyRequest, reply: FastifyReply, { auth, baseURL }: BetterAuthRouteDependencies): Promise<FastifyReply> {
  return outageScope.run(async () => {
    let response: Response;
    try {
      response = await withSpan('better-auth.handler', () => auth.handler(toWebRequest(request, baseURL)));
    } catch (error) {
      if (!isApiError(error) || outageOf(error) || error.statusCode >= 500) throw outageScope.current() ?? error;
      response = apiErrorResponse(error);
    }
    const outage = outageScope.current();
    if (outage && !answerStandsDespiteOutage(response.status, outageScope.committedBeforeOutage())) throw outage;
    return sendWebResponse(reply, await normalizeTooManyRequests(response));
  });
}
