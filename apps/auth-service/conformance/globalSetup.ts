import { startHarnessServices, stopHarnessServices } from '@tools/test-harness';

/** The test harness's Postgres and Redis, as jest's globalSetup gives them to the jest projects. */
export async function setup(): Promise<() => Promise<void>> {
  await startHarnessServices();
  return stopHarnessServices;
}
