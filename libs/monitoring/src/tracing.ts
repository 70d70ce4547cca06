import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/**
 * Spans for the libraries, through `@opentelemetry/api` only: the app registers an SDK (or not).
 * Off until `enableTracing()` is called (the app does so after registering its SDK): then a
 * `withSpan` is one boolean check and a direct call, so a build without tracing pays nothing.
 */
let enabled = false;
const tracer = () => trace.getTracer('@libs/monitoring');

/** Turns spans on (the app, after its tracer provider is registered) or off again (tests). */
export function enableTracing(on = true): void {
  enabled = on;
}

export function tracingEnabled(): boolean {
  return enabled;
}

/** Runs `fn` inside a child span of the active one; errors mark the span and are rethrown. */
export function withSpan<R>(name: string, fn: () => Promise<R>, attributes?: Attributes): Promise<R> {
  if (!enabled) return fn();
  return tracer().startActiveSpan(name, { attributes }, async (span: Span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs `fn` outside the active request's trace, in a root span of its own (work after the answer:
 * background writes). Its queries then never count as the request's.
 */
export function withDetachedSpan<R>(name: string, fn: () => Promise<R>): Promise<R> {
  if (!enabled) return fn();
  return context.with(ROOT_CONTEXT, () => withSpan(name, fn));
}
