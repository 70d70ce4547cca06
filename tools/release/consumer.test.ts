/**
 * The libraries as a consumer gets them: built, `npm pack`ed, installed from the tarballs into a
 * project outside the workspace (no workspace paths, no symlinks), the seed's import block and
 * Examples 1–5 compiled there with `tsc --strict` (declarations checked too: skipLibCheck off)
 * and run against the harness Postgres and Redis, and a plain Better-Auth server on
 * `@libs/better-auth` started and used over HTTP by a stock client with the library's client plugins.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, harnessRedisUrl, type TestDatabase } from '@tools/test-harness';

const root = join(__dirname, '..', '..');
const LIBS = ['monitoring', 'utils', 'database', 'better-auth'] as const;
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
/** The workspace's installed version of a package, so the consumer's install is served from npm's cache. */
const installed = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

describe('a project outside the workspace, on the packed libraries', () => {
  let dir: string;
  let database: TestDatabase;

  beforeAll(async () => {
    execFileSync(process.execPath, [require.resolve('nx/bin/nx'), 'run-many', '-t', 'build', '-p', ...LIBS, '--outputStyle=static'], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
    dir = mkdtempSync(join(tmpdir(), 'consumer-'));
    const tarballs: Record<string, string> = {};
    for (const lib of LIBS) {
      const name = npm(['pack', '--silent', '--pack-destination', dir], join(root, 'dist', 'libs', lib)).trim().split('\n').pop() as string;
      tarballs[`@libs/${lib}`] = `file:./${name}`;
    }
    const thirdParty = ['ioredis', 'zod', 'cockatiel', 'lru-cache', 'prom-client', 'better-auth', 'better-call', 'typescript', '@types/node'];
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, dependencies: { ...tarballs, ...Object.fromEntries(thirdParty.map((p) => [p, installed(p)])) } }, null, 2),
    );
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--install-links'], dir);
    mkdirSync(join(dir, 'src'));
    for (const file of ['examples.ts', 'server.ts', 'betterAuthTypes.d.ts']) copyFileSync(join(__dirname, 'consumer', file), join(dir, 'src', file));
    copyFileSync(join(__dirname, 'consumer', 'tsconfig.consumer.json'), join(dir, 'tsconfig.json'));
    database = await createTestDatabase('consumer');
  }, 240_000);

  afterAll(async () => {
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs real copies, not links into the workspace', () => {
    for (const lib of LIBS) {
      const manifest = JSON.parse(readFileSync(join(dir, 'node_modules', '@libs', lib, 'package.json'), 'utf8')) as { main: string; exports: Record<string, unknown> };
      expect(manifest.main).toBe('./src/index.js');
      expect(manifest.exports).not.toHaveProperty('./testing');
    }
    expect(execFileSync('find', [join(dir, 'node_modules', '@libs'), '-maxdepth', '1', '-type', 'l'], { encoding: 'utf8' })).toBe('');
  });

  it('compiles the seed import block, Examples 1–5 and a Better-Auth server with tsc --strict', () => {
    const tsc = spawnSync(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
    expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('runs Examples 1–3 on Postgres, 4 on the repository and 5 on Redis', () => {
    const out = execFileSync(process.execPath, [join(dir, 'out', 'examples.js')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: database.url, REDIS_URL: harnessRedisUrl() },
    });
    const result = JSON.parse(out.trim().split('\n').pop() as string);
    expect(result).toMatchObject({
      example1: true,
      example2: { roleId: true, assignedBy: 'system' },
      example3: { valid: { valid: true }, unknown: { valid: false } },
      example4: { accessToken: expect.stringMatching(/^at-for-/) },
      example5: { plainKeyLength: expect.any(Number) },
      exportedAll: true,
    });
    expect(result.metricNames.length).toBeGreaterThan(0);
  });

  it('serves a plain Better-Auth server on the library: sign-up and sign-in through the adapter, an API key created and verified, roles answered', () => {
    const out = execFileSync(process.execPath, [join(dir, 'out', 'server.js')], { cwd: dir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: database.url } });
    expect(JSON.parse(out.trim().split('\n').pop() as string)).toEqual({
      signUp: 'ok',
      signIn: 'ok',
      sessionUser: expect.stringMatching(/^server-\d+@example\.com$/),
      userRowStatus: 'ACTIVE',
      keyCreated: true,
      verifyStatus: 200,
      verifyBody: expect.objectContaining({ valid: true }),
      permissions: [],
    });
  });
});
