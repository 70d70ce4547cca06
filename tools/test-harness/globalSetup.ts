import { startPostgres, startRedis, type StartedService } from './services';

declare global {
  var __testHarnessServices: StartedService[] | undefined;
}

/**
 * Jest globalSetup: one Postgres and one Redis for the whole run, shared with the test
 * workers through HARNESS_PG_URL / HARNESS_REDIS_URL. Each test file then makes its own database.
 */
export default async function globalSetup(): Promise<void> {
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  globalThis.__testHarnessServices = [pg, redis];
  process.env.HARNESS_PG_URL = pg.url;
  process.env.HARNESS_REDIS_URL = redis.url;
  process.stdout.write(`\n[test-harness] postgres: ${pg.backend}; redis: ${redis.backend}\n`);
}
