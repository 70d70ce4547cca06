import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** `nx release` is configured with independent project relationships: one lib moves alone. */
describe('independent lib versions', () => {
  it('a patch release of utils proposes a new utils version and leaves the other libs alone', () => {
    const run = spawnSync(
      process.execPath,
      [require.resolve('nx/bin/nx'), 'release', 'version', 'patch', '--dry-run', '--projects=utils'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1' } },
    );
    // eslint-disable-next-line no-control-regex
    const output = `${run.stdout}\n${run.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
    expect(run.status).toBe(0);
    const current = require(join(root, 'libs', 'utils', 'package.json')).version as string;
    const [major, minor, patch] = current.split('.').map(Number);
    expect(output).toContain(`UPDATE libs/utils/package.json [dry-run]`);
    expect(output).toContain(`+   "version": "${major}.${minor}.${patch + 1}"`);
    expect(output).not.toMatch(/UPDATE libs\/(database|monitoring)\/package\.json/);
    expect(output).toContain('NOTE: The "dryRun" flag means no changes were made.');
  });
});
