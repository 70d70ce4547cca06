import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { resolveAuthSecret } from './devSecret';

describe('configuration', () => {
  it('defaults to the embedded database and a memory-only cache', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.TRUSTED_ORIGINS).toEqual([]);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ BETTER_AUTH_SECRET: 'short' }, 'BETTER_AUTH_SECRET'],
    [{ NODE_ENV: 'production' }, 'BETTER_AUTH_SECRET'],
    [{ TRUSTED_ORIGINS: 'https://ok.example, javascript:alert(1)' }, 'TRUSTED_ORIGINS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('rejects %j naming %s', (env, variable) => {
    let thrown: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues.map((i) => i.variable)).toContain(variable);
    expect((thrown as Error).message).toContain(variable);
  });

  it('parses trusted origins', () => {
    expect(loadConfig({ TRUSTED_ORIGINS: 'https://a.example, http://localhost:5173' }).TRUSTED_ORIGINS).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
  });

  it('generates a development secret once and keeps it private', () => {
    const dir = mkdtempSync(join(tmpdir(), 'auth-secret-'));
    const config = loadConfig({ DATA_DIR: dir });
    const first = resolveAuthSecret(config);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(resolveAuthSecret(config)).toBe(first);
    expect(readFileSync(join(dir, 'auth-secret'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'auth-secret')).mode & 0o077).toBe(0);
  });

  it('uses the configured secret as is', () => {
    const secret = 'x'.repeat(40);
    expect(resolveAuthSecret(loadConfig({ BETTER_AUTH_SECRET: secret }))).toBe(secret);
  });
});
