import { createDatabaseClient, migrate } from '@libs/database';
import { ResilientCacheService } from '@libs/database/cache';
import type { BetterAuthOptions } from 'better-auth';
import { createTestDatabase, harnessRedisUrl, type TestDatabase } from '@tools/test-harness';
import { platformAdapterOptions } from '@libs/better-auth';
import { repositoryAdapter } from '@libs/better-auth';
import { outageScope } from '../src/http/outageScope';
import { createRepositories } from '@libs/better-auth';
import { createAccessCore } from '@libs/better-auth';
import { BackgroundTasks } from '../src/backgroundTasks';
import pino from 'pino';

/** The parts of the app's Better-Auth options that shape the schema the adapter sees. */
export const APP_SCHEMA_OPTIONS = {
  session: { modelName: 'userSession', additionalFields: { fingerprint: { type: 'string', required: false, input: false, returned: false } } },
  account: { modelName: 'account' },
  verification: { modelName: 'verification', storeInDatabase: true },
} satisfies BetterAuthOptions;

export interface AppAdapterUnderTest {
  adapter: ReturnType<typeof repositoryAdapter>;
  close(): Promise<void>;
}

/**
 * The app's repository adapter exactly as `createAppContext` builds it — same repositories,
 * views and transaction runner, on L1 + Redis — over a fresh harness database migrated with
 * our migrations.
 */
export async function appAdapterUnderTest(prefix: string): Promise<AppAdapterUnderTest> {
  const database: TestDatabase = await createTestDatabase(prefix);
  await migrate(database.url);
  const db = await createDatabaseClient({ url: database.url });
  const cache = new ResilientCacheService({ redis: harnessRedisUrl() });
  const repositories = createRepositories({ db, cache });
  // The session view asks the access core who may act, as in the app.
  const access = createAccessCore(repositories, { secret: 'conformance-secret-that-is-long-enough', background: new BackgroundTasks(pino({ level: 'silent' })) });
  const adapter = repositoryAdapter({ ...platformAdapterOptions(repositories, access), onError: outageScope.report });
  return {
    adapter,
    close: async () => {
      await cache.close();
      await db.disconnect();
      await database.drop();
    },
  };
}
