import { z } from 'zod';
import { emptyAsUndefined, url } from '../configFields';

export const tracingConfigShape = {
  /** OpenTelemetry tracing: spans for each request, Better-Auth's handler, repository operations, cache layers and every pg / ioredis command, sent over OTLP/HTTP. `off`: no SDK is loaded and the span calls cost one boolean check. */
  OTEL_TRACING: z.enum(['on', 'off']).default('off'),
  /** OTLP/HTTP collector base URL (`/v1/traces` is appended), with OTEL_TRACING=on. Unset: the exporter's own default (http://localhost:4318). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUndefined, url(['http:', 'https:']).optional()),
  /** `service.name` of the spans. */
  OTEL_SERVICE_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, . _ -').default('auth-service'),
};

export const tracingConfigSchema = z.object(tracingConfigShape);
export type TracingConfig = z.infer<typeof tracingConfigSchema>;
