import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, waitFor } from '@tools/test-harness';

const root = join(__dirname, '..', '..', '..');
const entry = join(__dirname, 'main.ts');

describe('the app as a process (the quick start: embedded Postgres, memory-only cache)', () => {
  it('starts with no configuration, serves sign-up, and on SIGTERM drains and stops its embedded Postgres', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'auth-main-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => {
        const res = await fetch(`${base}/health/ready`);
        if (res.status !== 200) throw new Error(`ready: ${res.status}`);
      }, 90_000, 'the app');
      // Log lines reach the pipe a little after the port answers.
      await waitFor(async () => {
        if (!output.includes('Server listening')) throw new Error('not logged yet');
      }, 10_000, 'the start-up log');
      expect(output).toContain('database: embedded Postgres');
      expect(output).toContain('cache: memory only');
      const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
        method: 'POST',
        // A browser sends its page's origin; Better-Auth's CSRF check needs it outside tests.
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ email: 'quickstart@example.com', password: 'quick start password', name: 'Quick' }),
      });
      if (signUp.status !== 200) throw new Error(`sign-up ${signUp.status}: ${await signUp.text()}`);
      const pgPort = Number(/"port":(\d+),"msg":"embedded Postgres started"/.exec(output)?.[1]);
      expect(pgPort).toBeGreaterThan(0);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('shutdown complete');
      const client = new Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', password: 'postgres', connectionTimeoutMillis: 1_000 });
      await expect(client.connect()).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses to start on a bad variable, naming it', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: 'eighty', REDIS_URL: 'http://not-redis' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('PORT');
    expect(run.stderr).toContain('REDIS_URL');
  });

  it('--env-file: the file\'s variables reach the configuration; a variable already in the environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'auth-env-file-'));
    try {
      const file = join(dir, '.env');
      writeFileSync(file, '# as .env.example writes them\nPORT=eighty\nREDIS_URL=http://not-redis\n');
      const run = spawnSync(process.execPath, ['--import', 'tsx', entry, '--env-file', file], {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '3999' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('REDIS_URL must be a redis: or rediss: URL');
      expect(run.stderr).not.toContain('PORT');
      const missing = spawnSync(process.execPath, ['--import', 'tsx', entry, '--env-file', join(dir, 'none.env')], { cwd: root, env: { PATH: process.env.PATH }, encoding: 'utf8', timeout: 60_000 });
      // Node 20 itself reads a `--env-file` given after the script (exit 9, "not found"); newer Node leaves it to the app.
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toMatch(new RegExp(`${join(dir, 'none.env').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (no such file|not found)`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
