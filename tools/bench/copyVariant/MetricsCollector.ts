import type { CircuitBreakerStateName, IMetricsCollector, MetricsSnapshot } from './IMetricsCollector';
import type { MetricsCollectorOptions } from './MetricsCollectorOptions';
import { resolveMetricsCollectorOptions } from './MetricsCollectorOptions';
import type { MetricsLogger } from './MetricsLogger';
import { OperationStats } from './OperationStats';
import { boundedKey, OVERFLOW_LABEL, type KeyLimits } from './boundedKey';
import { startPeriodicSnapshot } from './periodicSnapshot';
import { registerPrometheusExport, type PrometheusExport } from './prometheus/registerPrometheusExport';

type NameKind = 'operation' | 'circuitBreaker' | 'event';

const BREAKER_STATES = new Set<string>(['closed', 'open', 'half-open', 'isolated']);

/**
 * The seed's metrics collector: in-memory figures per operation, breaker and event, read with
 * `getMetrics()` and, when a prom-client `Registry` is injected, exported on scrape.
 *
 * Every repository, cache and retry call records here, so recording is a map lookup and a few
 * adds — no prom-client call, no allocation once a name is known — and it never throws: a bad
 * duration counts as 0 ms, a bad or excess name is folded into `other`.
 */
export class MetricsCollector implements IMetricsCollector {
  readonly #options: MetricsCollectorOptions;
  readonly #operations = new Map<string, OperationStats>();
  #overall: OperationStats;
  readonly #breakers = new Map<string, CircuitBreakerStateName>();
  readonly #events = new Map<string, number>();
  readonly #limits: Record<NameKind | 'errorCode', KeyLimits>;
  readonly #warnedFolding = new Set<NameKind>();
  readonly #bounds: readonly number[] | null;
  readonly #export: PrometheusExport | null;
  #activeSockets = 0;
  #openedSockets = 0;

  constructor(options: Partial<MetricsCollectorOptions> = {}) {
    this.#options = resolveMetricsCollectorOptions(options);
    const { maxNameLength: maxLength } = this.#options;
    this.#limits = {
      operation: { maxKeys: this.#options.maxOperations, maxLength },
      circuitBreaker: { maxKeys: this.#options.maxCircuitBreakers, maxLength },
      event: { maxKeys: this.#options.maxEvents, maxLength },
      errorCode: { maxKeys: this.#options.maxErrorCodes, maxLength },
    };
    const { registry } = this.#options;
    this.#bounds = registry ? this.#options.buckets : null;
    // The overall figures never need buckets: the histogram is per operation.
    this.#overall = new OperationStats(null);
    this.#export = registry
      ? registerPrometheusExport({
          registry,
          prefix: this.#options.prefix,
          buckets: this.#options.buckets,
          source: {
            operations: () => this.#operations.entries(),
            circuitBreakers: () => this.#breakers.entries(),
            events: () => this.#events.entries(),
            webSocket: () => ({ activeConnections: this.#activeSockets, totalConnections: this.#openedSockets }),
          },
        })
      : null;
  }

  recordOperation(operation: string, durationMs: number, success: boolean, errorCode?: string): void {
    // NaN, negative or infinite durations come from clock bugs, not from the operation.
    const ms = durationMs >= 0 && durationMs !== Infinity ? durationMs : 0;
    const code = success || typeof errorCode !== 'string' ? undefined : errorCode;
    const ok = success === true;
    const now = this.#options.now();
    let stats = this.#operations.get(operation);
    if (stats === undefined) stats = this.#admitOperation(operation);
    stats.record(ms, ok, code, now, this.#limits.errorCode);
    this.#overall.record(ms, ok, code, now, this.#limits.errorCode);
  }

  recordCircuitBreakerState(breaker: string, state: CircuitBreakerStateName): void {
    if (!BREAKER_STATES.has(state)) return;
    const key = this.#bounded('circuitBreaker', this.#breakers, breaker);
    this.#breakers.set(key, state);
  }

  recordWebSocketConnection(change: 'opened' | 'closed'): void {
    if (change === 'opened') {
      this.#activeSockets++;
      this.#openedSockets++;
    } else if (change === 'closed' && this.#activeSockets > 0) {
      // A close without its open (a duplicate close event) must not drive the gauge negative.
      this.#activeSockets--;
    }
  }

  incrementEvent(event: string, by = 1): void {
    if (!(by > 0) || by === Infinity) return;
    let count = this.#events.get(event);
    let key = event;
    if (count === undefined) {
      key = this.#bounded('event', this.#events, event);
      count = this.#events.get(key) ?? 0;
    }
    this.#events.set(key, count + by);
  }

  getMetrics(): MetricsSnapshot {
    const operations = Object.fromEntries([...this.#operations].map(([name, stats]) => [name, stats.toMetrics()]));
    return {
      ...this.#overall.toMetrics(),
      operations,
      circuitBreakers: Object.fromEntries(this.#breakers),
      webSocket: { activeConnections: this.#activeSockets, totalConnections: this.#openedSockets },
      events: Object.fromEntries(this.#events),
    };
  }

  reset(): void {
    this.#operations.clear();
    this.#overall = new OperationStats(null);
    this.#events.clear();
    // Open connections are current state and stay; the opened total restarts from zero.
    this.#openedSockets = 0;
    this.#warnedFolding.clear();
  }

  startPeriodicSnapshot(logger: MetricsLogger, intervalMs?: number): () => void {
    return startPeriodicSnapshot(this, logger, { intervalMs });
  }

  /** Names of the metrics registered on the injected registry (empty without one). */
  get exportedMetricNames(): readonly string[] {
    return this.#export?.names ?? [];
  }

  /** Removes this collector's metrics from the injected registry; recording keeps working. */
  unregister(): void {
    this.#export?.unregister();
  }

  #admitOperation(operation: string): OperationStats {
    const key = this.#bounded('operation', this.#operations, operation);
    let stats = this.#operations.get(key);
    if (stats === undefined) {
      stats = new OperationStats(this.#bounds);
      this.#operations.set(key, stats);
    }
    return stats;
  }

  #bounded(kind: NameKind, map: ReadonlyMap<string, unknown>, name: unknown): string {
    const key = boundedKey(map, name, this.#limits[kind]);
    if (key === OVERFLOW_LABEL && name !== OVERFLOW_LABEL && !this.#warnedFolding.has(kind)) {
      this.#warnedFolding.add(kind);
      try {
        // The name itself is not logged: a name that overflows is often built from request data.
        this.#options.logger.warn(
          { kind, cap: this.#limits[kind].maxKeys, maxNameLength: this.#limits[kind].maxLength },
          `metrics: ${kind} name cap reached or name unfit as a label; folding into "${OVERFLOW_LABEL}"`,
        );
      } catch {
        // Recording must not throw, not even through a broken logger.
      }
    }
    return key;
  }
}
