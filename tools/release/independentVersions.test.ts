import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Runs `nx release …` in the workspace; output without colours. */
function nxRelease(args: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [require.resolve('nx/bin/nx'), 'release', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  // eslint-disable-next-line no-control-regex
  return { status: run.status, output: `${run.stdout}\n${run.stderr}`.replace(/\u001b\[[0-9;]*m/g, '') };
}

const version = (lib: string) => require(join(root, 'libs', lib, 'package.json')).version as string;
const patched = (v: string) => v.replace(/(\d+)$/, (p) => String(Number(p) + 1));

/** `nx release` is configured with independent project relationships: one lib moves alone, and what depends on it follows. */
describe('independent lib versions', () => {
  it('a patch release of utils bumps utils and its dependent database, leaves monitoring alone, and previews both changelogs', () => {
    const { status, output } = nxRelease(['patch', '--dry-run', '--projects=utils', '--skip-publish']);
    expect(status).toBe(0);
    for (const manifest of ['libs/utils/package.json', 'dist/libs/utils/package.json']) expect(output).toContain(`UPDATE ${manifest} [dry-run]`);
    expect(output).toContain(`+   "version": "${patched(version('utils'))}"`);
    expect(output).toContain(`database ❓ Applied semver relative bump "patch", because a dependency was bumped, to get new version ${patched(version('database'))}`);
    expect(output).not.toMatch(/UPDATE (dist\/)?libs\/monitoring\/package\.json/);
    expect(output).toContain(`Previewing an entry in libs/utils/CHANGELOG.md for utils@${patched(version('utils'))}`);
    expect(output).toContain('NOTE: The "dryRun" flag means no changes were made.');
  });

  it('the release from conventional commits decides a version for every lib and would publish each from dist', () => {
    const { status, output } = nxRelease(['--dry-run']);
    expect(status).toBe(0);
    for (const lib of ['monitoring', 'utils', 'database', 'better-auth']) {
      expect(output).toMatch(new RegExp(`${lib} (✍️ {2}New version \\S+ written to manifest: dist/libs/${lib}/package.json|🚫 No changes were detected)`));
    }
    expect(output).toContain('NOTE: The "dryRun" flag means no changes were made.');
  });
});
