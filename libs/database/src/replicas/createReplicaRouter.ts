import { PrismaDatabaseClient } from '../client/PrismaDatabaseClient';
import type { DatabaseClientOptions } from '../client/options';
import { ReplicaRouter, type ReplicaRouterOptions } from './ReplicaRouter';

export interface CreateReplicaRouterOptions extends Omit<ReplicaRouterOptions, 'replicas'> {
  /** Postgres URLs of the replicas (hot standbys of `primary`). */
  urls: string[];
  /**
   * Pool settings of each replica. A short connection timeout: while a replica is unreachable,
   * each read waits for it before the primary answers, until the breaker opens.
   * @default { poolMax: 10, connectionTimeoutMs: 1_000, applicationName: 'libs-database-replica' }
   */
  pool?: Omit<DatabaseClientOptions, 'url' | 'migrate' | 'embedded' | 'logger'>;
}

/**
 * A `ReplicaRouter` over replica URLs. Nothing connects here: a replica that is down at start-up
 * is simply not used until its lag check answers, and never delays the start.
 */
export function createReplicaRouter(options: CreateReplicaRouterOptions): ReplicaRouter {
  const { urls, pool, ...router } = options;
  const replicas = urls.map(
    (url) => new PrismaDatabaseClient({ poolMax: 10, connectionTimeoutMs: 1_000, applicationName: 'libs-database-replica', ...pool, url, logger: options.logger }),
  );
  return new ReplicaRouter({ ...router, replicas });
}
