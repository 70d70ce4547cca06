import type { PrismaExecutor } from './prismaTypes';

interface PendingUse {
  count: number;
  lastUsedAt: Date;
}

/**
 * Buffers `usageCount` / `lastUsedAt` per key and writes them in one statement per flush, so a
 * validation never costs a write. Counts of a flush that provably failed are put back; a flush
 * that may have landed is not resent (a usage figure is not worth double counting).
 */
export class ApiKeyUsageBuffer {
  #pending = new Map<string, PendingUse>();
  #total = 0;

  get size(): number {
    return this.#total;
  }

  record(apiKeyId: string, at = new Date()): number {
    this.restore(new Map([[apiKeyId, { count: 1, lastUsedAt: at }]]));
    return this.#total;
  }

  /** Takes the buffered uses out (to write them). */
  drain(): Map<string, PendingUse> {
    const taken = this.#pending;
    this.#pending = new Map();
    this.#total = 0;
    return taken;
  }

  /** Puts uses back after a flush that did not happen. */
  restore(uses: Map<string, PendingUse>): void {
    for (const [id, use] of uses) {
      const current = this.#pending.get(id);
      if (current) {
        current.count += use.count;
        if (use.lastUsedAt > current.lastUsedAt) current.lastUsedAt = use.lastUsedAt;
      } else {
        this.#pending.set(id, { ...use });
      }
      this.#total += use.count;
    }
  }
}

/** One UPDATE for every key in `uses`. Returns rows updated. */
export function writeUsage(client: PrismaExecutor, uses: Map<string, PendingUse>): Promise<number> {
  const entries = [...uses];
  const ids = entries.map(([id]) => id);
  const counts = entries.map(([, use]) => use.count);
  const times = entries.map(([, use]) => use.lastUsedAt);
  return client.$executeRaw`
    UPDATE "ApiKey" AS k SET "usageCount" = k."usageCount" + v.n,
      "lastUsedAt" = GREATEST(COALESCE(k."lastUsedAt", v.t), v.t)
    FROM (SELECT unnest(${ids}::text[]) AS id, unnest(${counts}::int[]) AS n, unnest(${times}::timestamp(3)[]) AS t) AS v
    WHERE k."id" = v.id`;
}
