import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PRINCIPAL_LIMITS, principalLimitsOf } from '@libs/better-auth';
import { ConfigError, loadConfig } from './config';
import { resolveAuthSecret } from './devSecret';
import { redisEndpointOf } from './redisConfig';

const PROD_SECRET = randomBytes(32).toString('base64');
/** Production sends mail: every production configuration below has an SMTP server. */
const SMTP_URL = 'smtps://mailer:mail-password-0123456789@smtp.example.com:465';

describe('configuration', () => {
  it('defaults to the embedded database and a memory-only cache', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.TRUSTED_ORIGINS).toEqual([]);
    expect(config.AUTH_PLUGINS).toEqual([]);
  });

  it('AUTH_PLUGINS names optional Better-Auth plugins; an unknown one is refused by name', () => {
    expect(loadConfig({ AUTH_PLUGINS: 'two-factor, organization,jwt,passkey' }).AUTH_PLUGINS).toEqual(['two-factor', 'organization', 'jwt', 'passkey']);
    expect(() => loadConfig({ AUTH_PLUGINS: 'two-factor,sso' })).toThrow(/AUTH_PLUGINS/);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ BETTER_AUTH_SECRET: 'short' }, 'BETTER_AUTH_SECRET'],
    [{ NODE_ENV: 'production' }, 'BETTER_AUTH_SECRET'],
    // Production refuses committed, placeholder and regular values (the message names the variable only).
    [{ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'compose-dev-secret-change-me-0123456789abcdef' }, 'BETTER_AUTH_SECRET'],
    [{ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'test-secret-that-is-long-enough-0123456789' }, 'BETTER_AUTH_SECRET'],
    [{ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'please-change-me-before-going-live-0000' }, 'BETTER_AUTH_SECRET'],
    [{ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'a'.repeat(40) }, 'BETTER_AUTH_SECRET'],
    [{ NODE_ENV: 'production', BETTER_AUTH_SECRET: PROD_SECRET, REDIS_PASSWORD: 'short' }, 'REDIS_PASSWORD'],
    [{ NODE_ENV: 'production', BETTER_AUTH_SECRET: PROD_SECRET, OIDC_ISSUER: 'https://idp.example.com/realms/app', OIDC_CLIENT_ID: 'app', OIDC_CLIENT_SECRET: 'auth-service-dev-secret', UPSTREAM_TOKEN_KEY: `k1:${randomBytes(32).toString('base64')}` }, 'OIDC_CLIENT_SECRET'],
    [{ NODE_ENV: 'production', BETTER_AUTH_SECRET: PROD_SECRET, OIDC_ISSUER: 'https://idp.example.com/realms/app', OIDC_CLIENT_ID: 'app', OIDC_CLIENT_SECRET: randomBytes(32).toString('hex'), UPSTREAM_TOKEN_KEY: 'dev1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' }, 'UPSTREAM_TOKEN_KEY'],
    [{ TRUSTED_ORIGINS: 'https://ok.example, javascript:alert(1)' }, 'TRUSTED_ORIGINS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_REPLICA_URLS: 'postgresql://r1/db, redis://r2' }, 'DATABASE_REPLICA_URLS'],
    [{ DATABASE_REPLICA_MAX_LAG_MS: '-1' }, 'DATABASE_REPLICA_MAX_LAG_MS'],
    [{ DATABASE_READ_YOUR_WRITES_MS: 'soon' }, 'DATABASE_READ_YOUR_WRITES_MS'],
    [{ REDIS_URL: 'redis://r:6379', REDIS_SENTINELS: 's1:26379' }, 'REDIS_SENTINELS'],
    [{ REDIS_SENTINELS: 's1:26379,no-port' }, 'REDIS_SENTINELS'],
    [{ REDIS_SENTINELS: 's1:99999' }, 'REDIS_SENTINELS'],
    [{ REDIS_SENTINELS: ' , ' }, 'REDIS_SENTINELS'],
    [{ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_MASTER: 'bad name!' }, 'REDIS_SENTINEL_MASTER'],
    [{ REDIS_SENTINEL_PASSWORD: 'p' }, 'REDIS_SENTINEL_PASSWORD'],
    [{ AUTH_PRINCIPAL_LIMIT_PER_MINUTE: '0' }, 'AUTH_PRINCIPAL_LIMIT_PER_MINUTE'],
    [{ AUTH_PRINCIPAL_LIMIT_PER_MINUTE: 'lots' }, 'AUTH_PRINCIPAL_LIMIT_PER_MINUTE'],
    [{ AUTH_ADDRESS_LIMIT_PER_MINUTE: '2.5' }, 'AUTH_ADDRESS_LIMIT_PER_MINUTE'],
    [{ AUTH_ADDRESS_LIMIT_PER_MINUTE: '1000001' }, 'AUTH_ADDRESS_LIMIT_PER_MINUTE'],
    // Better-Auth's spellings: malformed, or both spellings set to different values.
    [{ BETTER_AUTH_SECRETS: PROD_SECRET }, 'BETTER_AUTH_SECRETS'],
    [{ BETTER_AUTH_SECRETS: `1:${PROD_SECRET},1:${randomBytes(32).toString('base64')}` }, 'BETTER_AUTH_SECRETS'],
    [{ BETTER_AUTH_SECRETS: '1:short' }, 'BETTER_AUTH_SECRETS'],
    [{ BETTER_AUTH_SECRET: PROD_SECRET, BETTER_AUTH_SECRETS: `2:${randomBytes(32).toString('base64')},1:${PROD_SECRET}` }, 'BETTER_AUTH_SECRETS'],
    [{ NODE_ENV: 'production', BETTER_AUTH_SECRETS: `2:${PROD_SECRET},1:test-secret-that-is-long-enough-0123456789` }, 'BETTER_AUTH_SECRETS'],
    [{ TRUSTED_ORIGINS: 'https://a.example', BETTER_AUTH_TRUSTED_ORIGINS: 'https://b.example' }, 'BETTER_AUTH_TRUSTED_ORIGINS'],
    [{ BETTER_AUTH_TRUSTED_ORIGINS: 'ftp://files.example' }, 'BETTER_AUTH_TRUSTED_ORIGINS'],
    // Mail: production needs an SMTP server; the URL and the From are checked in every mode.
    [{ NODE_ENV: 'production', BETTER_AUTH_SECRET: PROD_SECRET }, 'SMTP_URL'],
    [{ SMTP_URL: 'https://user:mail-password-0123456789@smtp.example.com' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp mail-password-0123456789' }, 'SMTP_URL'],
    [{ SMTP_FROM: 'not an address' }, 'SMTP_FROM'],
    [{ SMTP_FROM: 'Two <a@example.com>, <b@example.com>' }, 'SMTP_FROM'],
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
    // A refusal names the variable, never the value.
    for (const value of Object.values(env)) if (value.length >= 16) expect((thrown as Error).message).not.toContain(value);
  });

  it('starts in production with generated secrets', () => {
    const config = loadConfig({ NODE_ENV: 'production', BETTER_AUTH_SECRET: PROD_SECRET, REDIS_PASSWORD: randomBytes(32).toString('hex'), SMTP_URL });
    expect(config.BETTER_AUTH_SECRET).toBe(PROD_SECRET);
  });

  it('refuses, in production, the development secret kept in DATA_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'auth-secret-'));
    const kept = resolveAuthSecret(loadConfig({ DATA_DIR: dir }));
    expect(() => resolveAuthSecret(loadConfig({ DATA_DIR: dir, NODE_ENV: 'production', BETTER_AUTH_SECRET: kept, SMTP_URL }))).toThrow(/BETTER_AUTH_SECRET is the development secret/);
    expect(resolveAuthSecret(loadConfig({ DATA_DIR: dir, NODE_ENV: 'production', BETTER_AUTH_SECRET: PROD_SECRET, SMTP_URL }))).toBe(PROD_SECRET);
  });

  it('parses read replicas: none by default, a comma-separated list, lag bound and read-your-writes window', () => {
    expect(loadConfig({})).toMatchObject({ DATABASE_REPLICA_URLS: [], DATABASE_REPLICA_MAX_LAG_MS: 5_000, DATABASE_READ_YOUR_WRITES_MS: 2_000, DATABASE_REPLICA_LAG_CHECK_MS: 1_000 });
    const config = loadConfig({ DATABASE_REPLICA_URLS: 'postgresql://a:b@r1:5432/db, postgres://r2/db', DATABASE_REPLICA_MAX_LAG_MS: '1500', DATABASE_READ_YOUR_WRITES_MS: '0' });
    expect(config).toMatchObject({ DATABASE_REPLICA_URLS: ['postgresql://a:b@r1:5432/db', 'postgres://r2/db'], DATABASE_REPLICA_MAX_LAG_MS: 1_500, DATABASE_READ_YOUR_WRITES_MS: 0 });
  });

  it('builds one Redis endpoint: a URL, or Sentinels with the master name and passwords', () => {
    expect(redisEndpointOf(loadConfig({}))).toBeUndefined();
    expect(redisEndpointOf(loadConfig({ REDIS_URL: 'redis://r:6379', REDIS_PASSWORD: 'pw' }))).toEqual({ url: 'redis://r:6379', password: 'pw' });
    expect(redisEndpointOf(loadConfig({ REDIS_SENTINELS: 's1:26379, s2:26380,[::1]:26381' }))).toEqual({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      masterName: 'mymaster',
      password: undefined,
      sentinelPassword: undefined,
    });
    expect(redisEndpointOf(loadConfig({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_MASTER: 'auth', REDIS_PASSWORD: 'a', REDIS_SENTINEL_PASSWORD: 'b' }))).toMatchObject({ masterName: 'auth', password: 'a', sentinelPassword: 'b' });
  });

  it('parses the per-user and per-address budgets of authenticated callers: 600 and 1 200 a minute unless set', () => {
    expect(principalLimitsOf(loadConfig({}))).toEqual(DEFAULT_PRINCIPAL_LIMITS);
    expect(DEFAULT_PRINCIPAL_LIMITS).toEqual({ user: { max: 600, windowMs: 60_000 }, address: { max: 1_200, windowMs: 60_000 } });
    expect(principalLimitsOf(loadConfig({ AUTH_PRINCIPAL_LIMIT_PER_MINUTE: '', AUTH_ADDRESS_LIMIT_PER_MINUTE: '' }))).toEqual(DEFAULT_PRINCIPAL_LIMITS);
    expect(principalLimitsOf(loadConfig({ AUTH_PRINCIPAL_LIMIT_PER_MINUTE: '30', AUTH_ADDRESS_LIMIT_PER_MINUTE: '5000' }))).toEqual({ user: { max: 30, windowMs: 60_000 }, address: { max: 5_000, windowMs: 60_000 } });
  });

  it('parses trusted origins', () => {
    expect(loadConfig({ TRUSTED_ORIGINS: 'https://a.example, http://localhost:5173' }).TRUSTED_ORIGINS).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
  });

  it('Better-Auth\'s BETTER_AUTH_SECRETS alone: its current (first) entry is the secret every check uses, in production too', () => {
    const older = randomBytes(32).toString('base64');
    const config = loadConfig({ NODE_ENV: 'production', BETTER_AUTH_SECRETS: ` 2:${PROD_SECRET} , 1:${older}`, SMTP_URL });
    expect(config.BETTER_AUTH_SECRET).toBe(PROD_SECRET);
    expect(config.BETTER_AUTH_SECRETS).toEqual([{ version: 2, value: PROD_SECRET }, { version: 1, value: older }]);
    expect(resolveAuthSecret(config)).toBe(PROD_SECRET);
    // Both spellings agreeing on the current secret is accepted.
    expect(loadConfig({ BETTER_AUTH_SECRET: PROD_SECRET, BETTER_AUTH_SECRETS: `2:${PROD_SECRET},1:${older}` }).BETTER_AUTH_SECRET).toBe(PROD_SECRET);
  });

  it('both secret spellings set and different: the refusal says which and what to do, never a value', () => {
    const other = randomBytes(32).toString('base64');
    expect(() => loadConfig({ BETTER_AUTH_SECRET: PROD_SECRET, BETTER_AUTH_SECRETS: `1:${other}` })).toThrow(
      'Invalid configuration: BETTER_AUTH_SECRETS names a current (first) secret different from BETTER_AUTH_SECRET; set one of them, or make BETTER_AUTH_SECRET the first entry',
    );
  });

  it('BETTER_AUTH_TRUSTED_ORIGINS alone becomes the one list; both spellings are accepted when they name the same origins', () => {
    expect(loadConfig({ BETTER_AUTH_TRUSTED_ORIGINS: 'https://a.example,https://b.example' }).TRUSTED_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(loadConfig({ TRUSTED_ORIGINS: 'https://a.example,https://b.example', BETTER_AUTH_TRUSTED_ORIGINS: 'https://b.example/, https://a.example' }).TRUSTED_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(() => loadConfig({ TRUSTED_ORIGINS: 'https://a.example', BETTER_AUTH_TRUSTED_ORIGINS: 'https://a.example,https://b.example' })).toThrow(
      'BETTER_AUTH_TRUSTED_ORIGINS differs from TRUSTED_ORIGINS; set one of them (both name the origins every check trusts)',
    );
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
