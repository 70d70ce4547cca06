import type { ReplicaRouter } from '@libs/database';
import type { BreakerStatus } from '@libs/utils';

/**
 * Breakers that decide readiness and outages: every one but the replicas'. A replica that is down
 * costs the primary some reads, not the service its readiness.
 */
export function breakersWithoutReplicas(breakers: BreakerStatus[], router: ReplicaRouter | undefined): BreakerStatus[] {
  if (router === undefined) return breakers;
  const replicas = new Set(router.status().map((r) => r.name));
  return breakers.filter((b) => !replicas.has(b.key));
}

/** The `replicas` entry of `/health/ready`: optional (never makes the service not-ready), with each replica's state. */
export function replicaHealth(router: ReplicaRouter) {
  const replicas = router.status();
  return { healthy: replicas.some((r) => r.state === 'ready'), required: false, replicas };
}
