import type { OperationMetrics } from './IMetricsCollector';
import { boundedKey, type KeyLimits } from './boundedKey';

/** Error code counted for failures recorded without one. */
export const UNKNOWN_ERROR_CODE = 'unknown';

/** Label values of one operation's latency series, built once per operation (not per call). */
export interface OperationLabels {
  operation: string;
  outcome: 'success' | 'failure';
}

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
  /** Labels of the exported latency series of this operation; `null` for the overall figures. */
  readonly successLabels: Readonly<OperationLabels> | null;
  readonly failureLabels: Readonly<OperationLabels> | null;

  /** @param operation the (already bounded) operation name, or `null` for the overall figures */
  constructor(operation: string | null = null) {
    this.successLabels = operation === null ? null : Object.freeze({ operation, outcome: 'success' });
    this.failureLabels = operation === null ? null : Object.freeze({ operation, outcome: 'failure' });
  }

  /** `durationMs` must already be a finite, non-negative number. */
  record(durationMs: number, success: boolean, errorCode: string | undefined, now: number, codeLimits: KeyLimits): void {
    this.count++;
    this.totalMs += durationMs;
    this.lastAt = now;
    if (success) return;
    this.errors++;
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
