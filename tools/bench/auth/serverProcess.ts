import type { Server } from 'node:http';

/** An environment variable the child server cannot run without. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/**
 * On SIGTERM/SIGINT: stop accepting, cut idle keep-alive sockets (autocannon leaves some),
 * run `cleanup` (close the pool), exit. The harness kills with SIGKILL if this hangs.
 */
export function stopOnSignals(server: Server, cleanup: () => Promise<void> = async () => undefined): void {
  const stop = () => {
    server.close();
    server.closeAllConnections();
    cleanup()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
