import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `postgres --version` of the binaries in `binDir`, once per process. */
const versions = new Map<string, string>();
function binaryVersion(binDir: string): string {
  let version = versions.get(binDir);
  if (version === undefined) {
    version = spawnSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim();
    versions.set(binDir, version);
  }
  return version;
}

export interface ClusterTemplateOptions {
  binDir: string;
  /** The initdb arguments that shape the cluster (user, auth, encoding), without `--pgdata`. */
  initdbArgs: string[];
  /** Runs initdb into the given (empty, postgres-owned) directory. */
  initdb: (dataDir: string) => Promise<void>;
  /** Prepares an empty directory for `initdb` (ownership and mode when run as root). */
  prepareDir: (dataDir: string) => void;
}

/**
 * A pristine initdb'd data directory, made once and kept in `os.tmpdir()` (`bap-pg-template-<key>`,
 * keyed by the binaries' version and the initdb arguments) so each new cluster is a copy of it,
 * not another initdb. Made in a staging directory and renamed into place, so a directory under
 * the final name is always complete; test workers racing to make it keep whichever lands first.
 */
export async function clusterTemplate(options: ClusterTemplateOptions): Promise<string> {
  const key = createHash('sha256').update(binaryVersion(options.binDir)).update('\0').update(options.initdbArgs.join('\0')).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `bap-pg-template-${key}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const staging = mkdtempSync(join(tmpdir(), 'bap-pg-template-staging-'));
  try {
    options.prepareDir(staging);
    await options.initdb(staging);
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another worker got there first (ENOTEMPTY / EEXIST): theirs is as good as ours.
      if (!existsSync(join(dir, 'PG_VERSION'))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/** Copies a template's files into `dataDir` (cp -a keeps modes and, as root, the postgres user's ownership). */
export async function copyCluster(template: string, dataDir: string): Promise<void> {
  await run('cp', ['-a', `${template}/.`, dataDir]);
}
