import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { isAbsolute } from 'node:path';

/** The one setup step for the system binaries (`.ci/run` runs it); no test installs anything. */
export const INSTALL_SCRIPT = 'tools/ci/install-system-deps.sh';

/** `command`'s path on PATH (or `command` itself when it is an executable absolute path), without installing anything. */
export function findBinary(command: string): string | undefined {
  if (isAbsolute(command)) {
    try {
      accessSync(command, constants.X_OK);
      return command;
    } catch {
      return undefined;
    }
  }
  if (!/^[\w.-]+$/.test(command)) throw new Error(`not a command name: ${command}`);
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/** What to tell someone whose machine lacks `command`. */
function missingBinaryMessage(command: string): string {
  return `${command} is not installed: run \`sudo bash ${INSTALL_SCRIPT}\` once on this machine (.ci/run does)`;
}

/**
 * `command`'s path, or an error naming the setup script: a test that needs a system binary calls
 * this first, so a machine without it fails at once with what to do, never half-way through.
 */
export function requireBinary(command: string): string {
  const found = findBinary(command);
  if (!found) throw new Error(missingBinaryMessage(command));
  return found;
}
