import startServices from '../../../tools/test-harness/globalSetup';
import stopServices from '../../../tools/test-harness/globalTeardown';

/** The test harness's Postgres and Redis, as jest's globalSetup gives them to the jest projects. */
export async function setup(): Promise<() => Promise<void>> {
  await startServices();
  return stopServices;
}
