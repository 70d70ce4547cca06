import type { FastifyInstance } from 'fastify';
import type { ReplicaRouter } from '@libs/database';

/**
 * Every request is one read-your-writes scope: once it has written, its lag-tolerant reads go to
 * the primary; its actor (the principal, known once authenticated) keeps reading from the primary
 * for DATABASE_READ_YOUR_WRITES_MS after their write.
 */
export function registerReadConsistency(app: FastifyInstance, router: ReplicaRouter | undefined): void {
  if (router === undefined) return;
  app.addHook('onRequest', (request, _reply, done) => {
    router.consistency.run(done, () => request.principal?.actor.userId);
  });
}
