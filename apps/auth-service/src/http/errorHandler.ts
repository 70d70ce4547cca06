import type { FastifyInstance } from 'fastify';
import { outageOf, toHttpError } from './httpError';

const outageCode = (error: unknown): unknown => outageOf(error)?.code;

/** Every error leaves as `{ error: { code, message } }`; outages as 503 + Retry-After. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const mapped = toHttpError(error);
    // An outage answers many requests alike: each at debug, without a stack (OutageLog reports
    // the outage itself); anything else that fails is a bug and keeps its stack.
    if (mapped.status === 503) request.log.debug({ status: 503, code: outageCode(error) }, 'request answered 503: dependency unavailable');
    else if (mapped.status >= 500) request.log.error({ err: error, status: mapped.status }, 'request failed');
    if (mapped.retryAfter !== undefined) void reply.header('retry-after', String(mapped.retryAfter));
    return reply.status(mapped.status).send(mapped.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${request.url.split('?')[0]}` } }),
  );
}
