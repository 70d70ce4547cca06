import { tracingConfigSchema } from './tracingConfig';
import { startTracing, type TracingHandle } from './startTracing';

/**
 * Imported first by `main.ts`: with OTEL_TRACING=on the SDK starts before any other module is
 * read, so `pg` and `ioredis` are instrumented when first required. Read from the environment
 * (an `--env-file` is applied later, too late for this); the same fields are validated by
 * `loadConfig`, which reports a bad value.
 */
function fromEnvironment(): TracingHandle | undefined {
  const parsed = tracingConfigSchema.safeParse(process.env);
  if (!parsed.success || parsed.data.OTEL_TRACING !== 'on') return undefined;
  return startTracing(parsed.data);
}

export const tracing: TracingHandle | undefined = fromEnvironment();
