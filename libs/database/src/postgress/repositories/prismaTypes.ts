import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { OperationRunner } from './operation';

/** The Prisma client, or the client of an interactive transaction. */
export type PrismaExecutor = PrismaClient | Prisma.TransactionClient;

/** What a repository bound to a transaction carries. */
export interface TransactionState {
  client: Prisma.TransactionClient;
  /** Cache invalidations deferred until the commit. */
  afterCommit: Array<() => Promise<void>>;
  /** Runners of the repositories that opened the transaction (their metrics keep counting). */
  runners: Map<string, OperationRunner>;
}
