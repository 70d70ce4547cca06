import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTestDatabase, freePort, harnessRedisUrl, startLocalSmtp, waitFor, type LocalSmtp, type TestDatabase } from '@tools/test-harness';
import { buildApp } from '../chaos/builtApp';
import { REPO_ROOT } from './appSources';
import { copySteps, healthcheckCommand, last, readDockerfile } from './dockerfile';
import { reproduceStages } from './reproduceStages';

/**
 * No container runtime here, so the image's runtime stage is rebuilt on this machine from the
 * Dockerfile itself: the build stage is the repository after `npm ci` and the same
 * `nx run auth-service:build`; every later stage gets a directory of its own holding exactly what
 * its COPY lines name and what its `npm ci --omit=dev --ignore-scripts` installs (offline, from
 * the cache the repository's install filled). The app then starts from that directory alone —
 * its CMD, its ENV — on the run's Postgres and Redis: the migrate command first, then the server,
 * until its HEALTHCHECK command and /health/ready pass. What this cannot check: the base image's
 * own contents (Node 24 there, this machine's Node here) and file ownership.
 */
const stages = readDockerfile(REPO_ROOT);
const runtime = stages.at(-1)!;
const cmd = last(runtime, 'CMD')!.args;

function outputOf(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  return () => output;
}

describe('the image runtime stage, reproduced from the Dockerfile', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'image-runtime-'));
  let appDir: string;
  let database: TestDatabase;
  // Production refuses to start without SMTP_URL (reset and verification mail): a real SMTP server.
  let smtp: LocalSmtp;

  beforeAll(async () => {
    const build = stages.find((s) => s.name === 'build')!;
    // The build stage's /app is the checkout: `COPY . .` into WORKDIR /app, then the build target.
    expect(build.workdir).toBe('/app');
    expect(copySteps(build).some((step) => step.sources.join(' ') === '.' && step.destination === '.')).toBe(true);
    buildApp();
    appDir = reproduceStages(stages, { root: REPO_ROOT, workDir, npmCiExtraArgs: ['--prefer-offline'] }).get(runtime.name)!;
    database = await createTestDatabase('image_runtime');
    smtp = await startLocalSmtp();
  }, 600_000);

  afterAll(async () => {
    await smtp?.close();
    await database?.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  /** The runtime stage's ENV, then this run's: loopback, a free port, the harness' servers, a fresh secret. */
  const environment = (port: number): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    ...runtime.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: join(workDir, 'data'),
    DATABASE_URL: database.url,
    REDIS_URL: harnessRedisUrl(),
    SMTP_URL: smtp.url,
    BETTER_AUTH_SECRET: randomBytes(32).toString('base64'),
  });

  it('holds the bundle, its console and the migrations, with production dependencies only and nothing of the sources', () => {
    expect(existsSync(join(appDir, cmd.at(-1)!))).toBe(true);
    expect(existsSync(join(appDir, dirname(cmd.at(-1)!), 'console', 'index.html'))).toBe(true);
    expect(readdirSync(join(appDir, 'libs', 'database', 'prisma', 'migrations')).length).toBeGreaterThan(0);
    for (const devOnly of ['jest', 'nx', '@nx/js', '@swc/core', 'eslint', 'testcontainers']) expect({ devOnly, installed: existsSync(join(appDir, 'node_modules', devOnly)) }).toEqual({ devOnly, installed: false });
    for (const sources of ['apps/auth-service/src', 'libs/database/src', 'tools']) expect({ sources, present: existsSync(join(appDir, sources)) }).toEqual({ sources, present: false });
    // Module resolution walks up: nothing above the reproduced tree may supply a package.
    for (let dir = dirname(appDir); dir !== dirname(dir); dir = dirname(dir)) expect({ dir, nodeModules: existsSync(join(dir, 'node_modules')) }).toEqual({ dir, nodeModules: false });
  });

  it('the migrate command (CMD + migrate) applies the migrations once, then none', () => {
    const migrate = (): { status: number | null; output: string } => {
      const run = spawnSync(cmd[0] === 'node' ? process.execPath : cmd[0], [...cmd.slice(1), 'migrate'], { cwd: appDir, env: environment(0), encoding: 'utf8', timeout: 60_000 });
      return { status: run.status, output: `${run.stdout}${run.stderr}` };
    };
    const first = migrate();
    expect(first).toEqual({ status: 0, output: expect.stringContaining('migrations done') });
    const done = (output: string) => JSON.parse(output.split('\n').find((line) => line.includes('"migrations done"'))!) as { applied: string[]; alreadyApplied: number };
    expect(done(first.output).applied.length).toBeGreaterThan(0);
    const second = migrate();
    expect(second.status).toBe(0);
    expect(done(second.output)).toMatchObject({ applied: [], alreadyApplied: done(first.output).applied.length });
  }, 120_000);

  it('CMD starts the app from those files alone: HEALTHCHECK passes, /health/ready is 200, the console is served; SIGTERM stops it cleanly', async () => {
    const port = await freePort();
    const env = environment(port);
    const child = spawn(process.execPath, cmd.slice(1), { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = outputOf(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => {
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output().slice(-2_000)}`);
        const res = await fetch(`${base}/health/ready`);
        if (res.status !== 200) throw new Error(`ready: ${res.status} ${await res.text()}`);
      }, 90_000, 'the app built from the runtime stage');
      // The image's own HEALTHCHECK command, run as Docker would (inside the container's environment).
      const [healthBin, ...healthArgs] = healthcheckCommand(runtime)!;
      const health = spawnSync(healthBin === 'node' ? process.execPath : healthBin, healthArgs, { env, encoding: 'utf8', timeout: 10_000 });
      expect(health.status).toBe(0);
      const admin = await fetch(`${base}/admin`);
      expect(admin.status).toBe(200);
      expect(await admin.text()).toContain('<html');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output()).toContain('shutdown complete');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
