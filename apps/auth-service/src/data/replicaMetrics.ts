import { Gauge, type Registry } from 'prom-client';
import type { ReplicaRouter } from '@libs/database';

/**
 * `database_replica_lag_seconds{replica}` and `database_replica_up{replica}` (1: gets reads,
 * 0: skipped as down, lagging or not yet measured), read from the router at scrape time. Both are
 * registered without replicas too (no series then), so dashboards and alerts find them.
 */
export function registerReplicaMetrics(registry: Registry, router: ReplicaRouter | undefined): void {
  new Gauge({
    name: 'database_replica_lag_seconds',
    help: 'Seconds the read replica is behind the primary at its last check (absent while it cannot be measured)',
    labelNames: ['replica'],
    registers: [registry],
    collect() {
      this.reset();
      for (const replica of router?.status() ?? []) if (replica.lagSeconds !== null) this.set({ replica: replica.name }, replica.lagSeconds);
    },
  });
  new Gauge({
    name: 'database_replica_up',
    help: '1 when the read replica gets lag-tolerant reads, 0 when they go to the primary (down, lagging past the bound, or not yet measured)',
    labelNames: ['replica'],
    registers: [registry],
    collect() {
      this.reset();
      for (const replica of router?.status() ?? []) this.set({ replica: replica.name }, replica.state === 'ready' ? 1 : 0);
    },
  });
}
