import { defaultResilienceRegistry, type RecoveryWatch, type ResilienceRegistry } from '@libs/utils/src/executeWithRetry';
import type { DatabaseClient } from '../../types/DatabaseClient';
import type { DatabaseLogger } from '../../types/Logger';

// One watch per (registry, database): every repository breaker over one Postgres shares its check.
const watches = new WeakMap<ResilienceRegistry, WeakMap<DatabaseClient, RecoveryWatch>>();

/**
 * Puts a repository's breaker under the database's recovery watch: while the breaker is open,
 * `db.healthCheck` runs every `intervalMs`, and the first healthy answer lets trials through
 * (a breaker left to its reset would keep answering CIRCUIT_OPEN after Postgres is back).
 * Repositories are built per transaction too, so this is idempotent per key.
 */
export function watchDatabaseRecovery(
  registry: ResilienceRegistry | undefined,
  db: DatabaseClient,
  breakerKey: string,
  intervalMs: number,
  logger?: DatabaseLogger,
): void {
  if (intervalMs <= 0) return;
  const owner = registry ?? defaultResilienceRegistry;
  let byDatabase = watches.get(owner);
  if (byDatabase === undefined) watches.set(owner, (byDatabase = new WeakMap()));
  let watch = byDatabase.get(db);
  if (watch === undefined) {
    // The check's own timeout stays under the interval's order of magnitude: a black-holed host must not stall recovery checks.
    const timeoutMs = Math.max(250, intervalMs * 5);
    watch = owner.breakers.watchRecovery([], {
      check: async () => (await db.healthCheck(timeoutMs)).healthy,
      intervalMs,
      timeoutMs,
      logger,
    });
    byDatabase.set(db, watch);
  }
  watch.add(breakerKey);
}
