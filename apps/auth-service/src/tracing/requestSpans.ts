import type { FastifyInstance, FastifyRequest } from 'fastify';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';

/**
 * The root span of each request (`POST /api/auth/*`, by route pattern), made active for the
 * hooks and the handler: entered at `onRequest`, entered again at `preHandler` (the body is read
 * in the socket's own async context), ended at `onResponse` with the status code.
 */
export function registerRequestSpans(app: FastifyInstance): void {
  const tracer = trace.getTracer('auth-service');
  const spans = new WeakMap<FastifyRequest, Span>();
  app.addHook('onRequest', (request, _reply, done) => {
    const span = tracer.startSpan(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': request.routeOptions.url ?? '' },
    });
    spans.set(request, span);
    context.with(trace.setSpan(context.active(), span), done);
  });
  app.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (span) context.with(trace.setSpan(context.active(), span), done);
    else done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
