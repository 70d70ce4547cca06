/**
 * testcontainers is used only when a container runtime answers. On machines without one
 * (ours) the probe fails in a few milliseconds and the harness falls back to local servers.
 */
export interface ContainerService {
  url: string;
  stop(): Promise<void>;
}

async function runtimeAvailable(): Promise<boolean> {
  if (process.env.TEST_HARNESS_NO_CONTAINERS === '1') return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export async function postgresContainer(): Promise<ContainerService | undefined> {
  if (!(await runtimeAvailable())) return undefined;
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:17-alpine').start();
  return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) };
}

export async function redisContainer(): Promise<ContainerService | undefined> {
  if (!(await runtimeAvailable())) return undefined;
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer('redis:7-alpine').start();
  return { url: container.getConnectionUrl(), stop: async () => void (await container.stop()) };
}
