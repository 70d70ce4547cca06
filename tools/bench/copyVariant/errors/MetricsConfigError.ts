/** Stable codes of {@link MetricsConfigError}. */
export const MetricsConfigErrorCode = {
  /** An option is out of range or of the wrong shape. */
  INVALID_OPTION: 'E_METRICS_INVALID_OPTION',
  /** The injected registry already holds a metric with one of our names (use `prefix`). */
  METRIC_NAME_TAKEN: 'E_METRICS_NAME_TAKEN',
} as const;

export type MetricsConfigErrorCode = (typeof MetricsConfigErrorCode)[keyof typeof MetricsConfigErrorCode];

/**
 * Thrown only while configuring (constructor, export registration, snapshot start) — recording
 * never throws. `option` names the offending option or metric.
 */
export class MetricsConfigError extends Error {
  override readonly name = 'MetricsConfigError';

  constructor(
    readonly code: MetricsConfigErrorCode,
    readonly option: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isMetricsConfigError(error: unknown): error is MetricsConfigError {
  return error instanceof MetricsConfigError;
}
