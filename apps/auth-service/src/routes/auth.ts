import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/createAuth';
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

/** Where better-call keeps the response headers (e.g. cookie deletions) merged into a thrown APIError. */
const API_ERROR_HEADERS = Symbol.for('better-call:api-error-headers');

/** The answer Better-Auth itself gives for an APIError. */
function apiErrorResponse(error: ApiErrorLike): Response {
  const merged = (error as unknown as Record<symbol, ApiErrorLike['headers']>)[API_ERROR_HEADERS];
  const headers = new Headers(merged ?? error.headers);
  headers.set('content-type', 'application/json');
  return new Response(error.body === undefined ? null : JSON.stringify(error.body), { status: error.statusCode, headers });
}

export interface BetterAuthRouteDependencies {
  auth: Auth;
  baseURL: string;
}

/**
 * Answers one request with Better-Auth's Fetch handler. Better-Auth turns a failed database call
 * into a 500 or, on some paths, into "no session". Two things make an outage answer 503 +
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
    if (outage && (response.status >= 500 || response.status === 401)) throw outage;
    return sendWebResponse(reply, response);
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
