import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import { enableTracing } from '@libs/monitoring';
import type { TracingConfig } from './tracingConfig';

export interface TracingHandle {
  /** The pg and ioredis instrumentations (a test patches modules its own loader already holds). */
  instrumentations: InstrumentationBase[];
  /** Flushes the spans not yet exported and stops tracing. */
  shutdown(): Promise<void>;
}

export interface StartTracingOptions {
  /** Instead of OTLP (tests: an InMemorySpanExporter); exported span by span, not batched. */
  exporter?: SpanExporter;
}

/**
 * Registers the OpenTelemetry SDK: the global tracer provider (async-hooks context, OTLP/HTTP
 * batch export), the pg and ioredis instrumentations, then turns on `@libs/monitoring`'s spans.
 * Synchronous (`require`, here only: with tracing off no SDK module is ever read) so that
 * `preload.ts` finishes before `pg` and `ioredis` are first required.
 */
export function startTracing(config: Pick<TracingConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME'>, options: StartTracingOptions = {}): TracingHandle {
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const sdk = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');

  let processor: import('@opentelemetry/sdk-trace').SpanProcessor;
  if (options.exporter) processor = new sdk.SimpleSpanProcessor({ exporter: options.exporter });
  else {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
    processor = new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter(endpoint ? { url: `${endpoint.replace(/\/$/, '')}/v1/traces` } : {}) });
  }
  const provider = new sdk.TracerProvider({ resource: resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME }), spanProcessors: [processor] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  api.context.setGlobalContextManager(contextManager);
  api.trace.setGlobalTracerProvider(provider);
  const instrumentations: InstrumentationBase[] = [new PgInstrumentation({ requireParentSpan: true }), new IORedisInstrumentation({ requireParentSpan: true })];
  const unregister = registerInstrumentations({ instrumentations, tracerProvider: provider });
  enableTracing();
  return {
    instrumentations,
    shutdown: async () => {
      enableTracing(false);
      unregister();
      await provider.shutdown();
      api.trace.disable();
      api.context.disable();
      contextManager.disable();
    },
  };
}
