import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { kAPIErrorHeaderSymbol, toResponse } from 'better-call';
import type { Auth } from '../auth/createAuth';
import { normalizeTooManyRequests } from '../http/tooManyRequests';
import { outageOf } from '../http/httpError';
import { outageScope } from '../http/outageScope';
import { sendWebResponse, toWebRequest } from '../http/webBridge';

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
 * nothing — so any answer is the outage in disguise and becomes 503 + Retry-After. The one
 * exception is a rate-limit refusal (429, with its own Retry-After), which holds whatever the
 * database does. Input errors (400) are raised before any database call, so they never meet a
 * recorded outage and stay 400.
 */
const answersDespiteOutage = (status: number): boolean => status === 429;

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
 * the fast get-session route (src/session/).
 */
export function answerWithBetterAuth(request: FastifyRequest, reply: FastifyReply, { auth, baseURL }: BetterAuthRouteDependencies): Promise<FastifyReply> {
  return outageScope.run(async () => {
    let response: Response;
    try {
      response = await auth.handler(toWebRequest(request, baseURL));
    } catch (error) {
      if (!isApiError(error) || outageOf(error) || error.statusCode >= 500) throw outageScope.current() ?? error;
      response = apiErrorResponse(error);
    }
    const outage = outageScope.current();
    if (outage && !answersDespiteOutage(response.status)) throw outage;
    return sendWebResponse(reply, await normalizeTooManyRequests(response));
  });
}

/** Better-Auth's endpoints under `/api/auth/*`, served through its Fetch handler. */
export function registerAuthRoutes(app: FastifyInstance, deps: BetterAuthRouteDependencies): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    handler: (request, reply) => answerWithBetterAuth(request, reply, deps),
  });
}
