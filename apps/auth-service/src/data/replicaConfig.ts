import { z } from 'zod';
import { commaList, url } from '../configFields';

/** Read replicas (see docs/read-replicas.md); merged into the app's config schema. */
export const replicaConfigShape = {
  /** Hot standbys of DATABASE_URL, comma-separated; lag-tolerant reads go there. Unset: every read on the primary. */
  DATABASE_REPLICA_URLS: commaList(url(['postgres:', 'postgresql:']), 16_384, 16),
  /** A replica further behind than this gets no reads until it catches up. */
  DATABASE_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  /** How often each replica's lag is measured. */
  DATABASE_REPLICA_LAG_CHECK_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** After a user's own write, their lag-tolerant reads stay on the primary this long (0: only within the request). */
  DATABASE_READ_YOUR_WRITES_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
};
