/** Jest globalTeardown: stops what globalSetup started, so no server outlives the run. */
export default async function globalTeardown(): Promise<void> {
  const services = globalThis.__testHarnessServices ?? [];
  globalThis.__testHarnessServices = undefined;
  await Promise.allSettled(services.map((service) => service.stop()));
}
