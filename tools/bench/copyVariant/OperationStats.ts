import type { OperationMetrics } from './IMetricsCollector';
import { LatencyBuckets } from './LatencyBuckets';
import { boundedKey, type KeyLimits } from './boundedKey';

/** Error code counted for failures recorded without one. */
export const UNKNOWN_ERROR_CODE = 'unknown';

/**
 * Running figures for one operation name (or for all of them). Plain fields, no derived values
 * kept up to date: the average is computed when read, so recording stays a handful of adds.
 */
export class OperationStats {
  count = 0;
  errors = 0;
  totalMs = 0;
  lastAt: number | null = null;
  readonly errorsByCode = new Map<string, number>();
  /** Latency per outcome, present only when the collector exports to Prometheus. */
  readonly success: LatencyBuckets | null;
  readonly failure: LatencyBuckets | null;

  constructor(bounds: readonly number[] | null) {
    this.success = bounds ? new LatencyBuckets(bounds) : null;
    this.failure = bounds ? new LatencyBuckets(bounds) : null;
  }

  /** `durationMs` must already be a finite, non-negative number. */
  record(durationMs: number, success: boolean, errorCode: string | undefined, now: number, codeLimits: KeyLimits): void {
    this.count++;
    this.totalMs += durationMs;
    this.lastAt = now;
    if (success) {
      this.success?.observe(durationMs / 1000);
      return;
    }
    this.errors++;
    this.failure?.observe(durationMs / 1000);
    const code = boundedKey(this.errorsByCode, errorCode ?? UNKNOWN_ERROR_CODE, codeLimits);
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
  }

  toMetrics(): OperationMetrics {
    return {
      operationCount: this.count,
      errorCount: this.errors,
      averageResponseTime: this.count === 0 ? 0 : this.totalMs / this.count,
      lastOperationTime: this.lastAt,
      errorsByCode: Object.fromEntries(this.errorsByCode),
    };
  }
}
