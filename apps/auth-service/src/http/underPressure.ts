import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** Merged into the app's config schema. */
export const underPressureConfigShape = {
  /**
   * Load shedding: while the event loop's mean delay over the last sample is above this, every
   * request answers 503 OVERLOADED with Retry-After (@fastify/under-pressure). 0 = off. Test
   * apps run it lenient: a Jest worker on a loaded machine stalls for seconds.
   */
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
  /** How often the event-loop delay is sampled for the above. */
  OVERLOAD_SAMPLE_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
};

type OverloadConfig = { [K in keyof typeof underPressureConfigShape]: number };

/** Registers @fastify/under-pressure with the configured bounds (its 503 is shaped by the error handler). */
export async function registerUnderPressure(app: FastifyInstance, config: OverloadConfig): Promise<void> {
  await app.register(underPressure, {
    maxEventLoopDelay: config.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
    sampleInterval: config.OVERLOAD_SAMPLE_INTERVAL_MS,
    retryAfter: 1,
    exposeStatusRoute: false,
  });
}
